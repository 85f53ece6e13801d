/**
 * CG- and subtitles-to-video associations (video_associations): a CG or subtitles asset shown over a video
 * asset on a studio channel from tcIn to tcOut. One with the tcIn of an existing association of the same kind
 * on the same video and channel overwrites its asset and tcOut and keeps its id, as the doc says.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DaletDatabase, VideoAssociationRow } from '../../store/tables.ts';

export type AssociationKind = VideoAssociationRow['kind'];

export interface NewAssociation {
  videoAssetId: number;
  associatedAssetId: number;
  studioChannelId: string;
  tcInMs: number;
  tcOutMs: number;
  standard: string;
}

export async function upsertAssociation(
  trx: Transaction<DaletDatabase>,
  kind: AssociationKind,
  association: NewAssociation,
): Promise<VideoAssociationRow> {
  const slot = await trx
    .selectFrom('video_associations')
    .select('id')
    .where('kind', '=', kind)
    .where('video_asset_id', '=', association.videoAssetId)
    .where('studio_channel_id', '=', association.studioChannelId)
    .where('tc_in_ms', '=', association.tcInMs)
    .executeTakeFirst();
  if (slot)
    return trx
      .updateTable('video_associations')
      .set({ associated_asset_id: association.associatedAssetId, tc_out_ms: association.tcOutMs, standard: association.standard })
      .where('id', '=', slot.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  return trx
    .insertInto('video_associations')
    .values({
      kind,
      video_asset_id: association.videoAssetId,
      associated_asset_id: association.associatedAssetId,
      studio_channel_id: association.studioChannelId,
      tc_in_ms: association.tcInMs,
      tc_out_ms: association.tcOutMs,
      standard: association.standard,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function associationsByIds(db: Kysely<DaletDatabase>, kind: AssociationKind, ids: number[]): Promise<VideoAssociationRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('video_associations').selectAll().where('kind', '=', kind).where('id', 'in', ids).orderBy('id').execute();
}

export async function deleteAssociation(db: Kysely<DaletDatabase>, id: number): Promise<void> {
  await db.deleteFrom('video_associations').where('id', '=', id).execute();
}
