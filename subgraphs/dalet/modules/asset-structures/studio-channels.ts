/**
 * What sets the two association kinds apart (the asset kind each takes, its input field, its errors), and
 * the studio channel an association is on: named by the input, from the site configuration, and accepting
 * the type of the associated asset (STUDIO_CHANNEL_MUST_ACCEPT_THE_TITLE_TYPE otherwise).
 */
import type { Kysely } from 'kysely';
import { preconditionViolation, resourceDoesNotExist, type Precondition, type ResourceType } from '../../common/errors.ts';
import type { DaletDatabase } from '../../store/tables.ts';
import { readConfiguration } from '../configuration/resolvers.ts';
import type { StructureAsset } from './asset-access.ts';
import type { AssociationKind } from './associations.ts';

interface KindRules {
  assetKind: string;
  assetField: 'cgAssetId' | 'subtitlesAssetId';
  precondition: Precondition;
  doesNotExist: (id: string) => Error;
}

const rules = (
  assetKind: string,
  assetField: KindRules['assetField'],
  precondition: Precondition,
  resourceType: ResourceType,
): KindRules => ({
  assetKind,
  assetField,
  precondition,
  doesNotExist: (id) => resourceDoesNotExist({ type: 'ID', value: id }, resourceType),
});

export const ASSOCIATION_KINDS: Record<AssociationKind, KindRules> = {
  CG: rules('CGAsset', 'cgAssetId', 'MUST_BE_A_CG_ASSET_TYPE', 'CG_TO_VIDEO_ASSOCIATION'),
  SUBTITLES: rules('SubtitlesAsset', 'subtitlesAssetId', 'MUST_BE_A_SUBTITLES_ASSET_TYPE', 'SUBTITLES_TO_VIDEO_ASSOCIATION'),
};

export interface StudioChannel {
  id: string;
  name: string;
  acceptedAssetTypes: { id: string }[];
  [field: string]: unknown;
}

export async function studioChannelNamed(db: Kysely<DaletDatabase>, name: string, associated: StructureAsset): Promise<StudioChannel> {
  const channels = (await readConfiguration(db, 'studioChannels')) as StudioChannel[];
  const channel = channels.find((candidate) => candidate.name === name);
  if (!channel) throw resourceDoesNotExist({ type: 'NAME', value: name }, 'STUDIO_CHANNEL');
  if (!channel.acceptedAssetTypes.some((type) => type.id === associated.assetTypeId))
    throw preconditionViolation({ type: 'NAME', value: name }, 'STUDIO_CHANNEL', 'STUDIO_CHANNEL_MUST_ACCEPT_THE_TITLE_TYPE');
  return channel;
}

export async function studioChannelById(db: Kysely<DaletDatabase>, id: string): Promise<StudioChannel | null> {
  const channels = (await readConfiguration(db, 'studioChannels')) as StudioChannel[];
  return channels.find((channel) => channel.id === id) ?? null;
}
