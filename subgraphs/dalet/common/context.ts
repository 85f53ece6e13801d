/**
 * Who calls a Dalet operation. Only a Dalet user (a principal the gateway settled from a token this
 * subgraph issued) may; anyone else gets AuthenticationError in the Dalet shape.
 */
import type { SubgraphContext } from '../../kit/build-subgraph.ts';
import type { DaletDatabase } from '../store/tables.ts';
import { noAccessRights, notAuthenticated, type OperationType, type ResourceType } from './errors.ts';
import type { TokenIssuer } from '../modules/authentication/tokens.ts';
import type { MediaServices } from '../modules/media/mutations.ts';
import type { Notifications } from './notifications.ts';
import type { PartialErrors } from './partial-errors.ts';

export type DaletContext = SubgraphContext<DaletDatabase>;

export interface DaletCaller {
  userId: number;
  /** A member of ADMINISTRATORS: every right on every category, and the only one who manages users and groups. */
  isAdministrator: boolean;
  /** The groups the caller belongs to, for rights held through a group. */
  groupIds: number[];
}

/** What every section's resolvers are built with. */
export interface DaletServices {
  partialErrors: PartialErrors;
  tokens: TokenIssuer;
  /** Publishes what mutations did to the subscriptions (notifications.ts). */
  notifications: Notifications;
  /** Reads media files' technical metadata, where storage units are reached (modules/media/). */
  media: MediaServices;
}

export const ADMINISTRATORS = 'ADMINISTRATORS';
export const PUBLIC_GROUP = 'PUBLIC';
export const EDITORS = 'EDITORS';

/** Where the caller, once looked up, is kept: on the request's own context, so it lives as long as the request. */
const CALLER = Symbol('dalet caller');

/** The calling Dalet user, looked up once per request; AuthenticationError if there is none (or it was deleted). */
export function daletCaller(context: DaletContext): Promise<DaletCaller> {
  const cached = context as DaletContext & { [CALLER]?: Promise<DaletCaller> };
  return (cached[CALLER] ??= lookUpCaller(context));
}

/** The calling Dalet user as the store has them now, not kept: a subscription looks its subscriber up for each event. */
export async function lookUpCaller({ principal, db }: Pick<DaletContext, 'principal' | 'db'>): Promise<DaletCaller> {
  if (principal.kind !== 'user' || principal.issuer !== 'dalet' || !/^\d+$/.test(principal.userId)) throw notAuthenticated();
  const userId = Number(principal.userId);
  const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) throw notAuthenticated();
  const groups = await db
    .selectFrom('user_group_members')
    .innerJoin('user_groups', 'user_groups.id', 'user_group_members.user_group_id')
    .select(['user_groups.id', 'user_groups.name'])
    .where('user_group_members.user_id', '=', userId)
    .execute();
  return { userId, groupIds: groups.map((group) => group.id), isAdministrator: groups.some((group) => group.name === ADMINISTRATORS) };
}

/** Users and groups are managed by administrators only (the doc names no right for them; README.md). */
export function requireAdministrator(caller: DaletCaller, operationType: OperationType, resourceType: ResourceType): void {
  if (!caller.isAdministrator) throw noAccessRights(caller.userId, operationType, resourceType);
}
