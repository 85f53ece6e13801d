/**
 * What the seven subscriptions deliver: mutations publish notices on `kit.pubsub` (in process, or through
 * Redis with REDIS_URL so that every replica's subscribers get them) and each subscription keeps those its
 * caller may View and its filters select.
 *
 * Publishing, from a mutation, once its writes are committed (`services.notifications`):
 *
 *   await services.notifications.notify(context, 'users', [{ type: 'CREATED', id: user.id }]);
 *   await services.notifications.notify(context, 'assets', [
 *     { type: 'LINKED_TO_CATEGORY', id: asset.id, viewableThrough: [asset.primary_category_id],
 *       details: { relatedCategoryId: category.id, assetType: 'VideoAsset' } },
 *   ]);
 *
 * - `type`: the doc's `*NotificationType` value (CREATED, MODIFIED, DELETED, LINKED_TO_CATEGORY, ADDED_TO_GROUP...).
 * - `id`: what the notice is about: the user, group, category, asset, locator, media info, or (metadata) object.
 * - `viewableThrough`: the categories (any one) a subscriber needs View on: an asset's primary category, a
 *   category itself, a locator's or media info's asset's primary category. Omitted: every Dalet user may see it
 *   (users and groups, as their queries). DELETED notices go to everyone, as the doc says of assets.
 * - `details`: JSON facts the subscriptions' filters test and their contents show (`userGroupId`, `userIds`,
 *   `relatedCategoryId`, `assetId`, `formatId`, `objectType`, `dataFieldIds`...); they are also in `rawNotification`.
 *
 * One `notify` call is one message, whatever the number of notices: a subscriber receives them as one
 * `notifications` list (the doc's output is a list), keeping only those it may see.
 *
 * Subscribing: a module's `Subscription` field is `subscriptionField(services.notifications, { topic, ... })`
 * (see `subscriptionField`), which checks rights, `notificationTypes` and the module's own filters.
 */
import type { PubSub } from '../../kit/pubsub.ts';
import { toIds } from './ids.ts';
import type { DaletDatabase, DaletUserRow } from '../store/tables.ts';
import { rightsOn } from '../modules/categories/rights.ts';
import { daletCaller, lookUpCaller, type DaletCaller, type DaletContext } from './context.ts';
import type { Kysely } from 'kysely';

export type NotificationTopic = 'assets' | 'categories' | 'locators' | 'mediaInfos' | 'metadata' | 'userGroups' | 'users';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Notice {
  type: string;
  id: number;
  viewableThrough?: number[];
  details?: Record<string, JsonValue>;
}

/** What is published: the notices of one mutation, with who made it and when. */
export interface NoticeBatch {
  receivedAt: string;
  initiatedByUserId: number | null;
  initiatedByApplication: string;
  notices: Notice[];
}

/** Every change made through this API is initiated by it (the doc names its server WebService3). */
export const INITIATING_APPLICATION = 'WebService3';

/** What a subscription's filters and loaders get for one delivered message: the subscriber, looked up afresh. */
export interface DeliveryScope {
  db: Kysely<DaletDatabase>;
  caller: DaletCaller;
  /** Runs `compute` once per message for every subscriber sharing `key` (rights, loaded rows). */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface SubscriptionSpec<Input> {
  topic: NotificationTopic;
  /** The notification's field holding the object (`user`, `category`, `asset`, `mediaInfo`, `locators`, `object`...). */
  objectField: string;
  /** Whether the notice passes the subscription's own filters (beyond `notificationTypes`). Default: all. */
  matches?(notice: Notice, input: Input, scope: DeliveryScope): boolean | Promise<boolean>;
  /**
   * The objects of the notices, by id, as the object field answers them (rows). Loaded once per message for
   * all the subscribers given the same ids: rights were checked before, so do not filter by the caller here.
   */
  loadObjects(ids: number[], scope: DeliveryScope, notices: Notice[]): Promise<Map<number, unknown>>;
  /** What the object field answers for a DELETED notice, whose object is gone. Default null. */
  deletedObject?(notice: Notice): unknown;
  /** The content's topic-specific fields (`userGroup`, `users`, `relatedCategory`, `asset`, `metadata`...). Default none. */
  contentFields?(notice: Notice, scope: DeliveryScope): Promise<Record<string, unknown>>;
}

/** The input every subscription has. */
export interface SubscriptionInput {
  notificationTypes?: readonly string[] | null;
}

/** Per message, the results shared by its subscribers: the same object reaches every local listener. */
const sharedResults = new WeakMap<NoticeBatch, Map<string, Promise<unknown>>>();

function onceFor(batch: NoticeBatch) {
  return <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let results = sharedResults.get(batch);
    if (!results) sharedResults.set(batch, (results = new Map()));
    let result = results.get(key) as Promise<T> | undefined;
    if (!result) results.set(key, (result = compute()));
    return result;
  };
}

export class Notifications {
  readonly #pubsub: PubSub;

  constructor(pubsub: PubSub) {
    this.#pubsub = pubsub;
  }

  /** Publishes `notices` on `topic` as made by the caller of `context`. Nothing is published for none. */
  async notify(context: DaletContext, topic: NotificationTopic, notices: Notice[]): Promise<void> {
    if (!notices.length) return;
    const { principal } = context;
    const batch: NoticeBatch = {
      receivedAt: new Date().toISOString(),
      initiatedByUserId: principal.kind === 'user' && /^\d+$/.test(principal.userId) ? Number(principal.userId) : null,
      initiatedByApplication: INITIATING_APPLICATION,
      notices,
    };
    await this.#pubsub.publish(topic, batch);
  }

  /** The messages of `topic` from now on, each as the notices the subscriber of `context` gets (none skipped). */
  subscribe<Input extends SubscriptionInput>(
    context: DaletContext,
    spec: SubscriptionSpec<Input>,
    input: Input,
  ): AsyncIterableIterator<NotificationOutput[]> {
    const source = this.#pubsub.subscribe<NoticeBatch>(spec.topic);
    const wanted = wantedTypes(input.notificationTypes);
    const pick = async (batch: NoticeBatch) => {
      const once = onceFor(batch);
      const userKey = context.principal.kind === 'user' ? context.principal.userId : '';
      // Looked up for every message: the subscriber's groups (their rights) may have changed, or they were deleted.
      const caller = await once(`caller:${userKey}`, () => lookUpCaller(context).catch(() => null));
      if (!caller) return [];
      const scope: DeliveryScope = { db: context.db, caller, once };
      const kept: Notice[] = [];
      for (const notice of batch.notices) {
        if (wanted && !wanted.has(notice.type)) continue;
        if (!(await mayView(notice, scope))) continue;
        if (spec.matches && !(await spec.matches(notice, input, scope))) continue;
        kept.push(notice);
      }
      return kept.length ? outputs(batch, kept, spec, scope) : [];
    };
    return keepNonEmpty(source, pick, (error) => context.log.warn({ err: error, topic: spec.topic }, 'a notification was not delivered'));
  }
}

/** The types asked for; undefined for ALL (or none given). */
function wantedTypes(types: readonly string[] | null | undefined): Set<string> | undefined {
  if (!types?.length || types.includes('ALL')) return undefined;
  return new Set(types);
}

async function mayView(notice: Notice, { db, caller, once }: DeliveryScope): Promise<boolean> {
  if (notice.type === 'DELETED' || !notice.viewableThrough || caller.isAdministrator) return true;
  for (const categoryId of notice.viewableThrough) {
    const view = await once(`view:${caller.userId}:${categoryId}`, async () => (await rightsOn(db, caller, categoryId)).view);
    if (view) return true;
  }
  return false;
}

/** One notification of the doc's shape (`contents` and the object field) for each notice kept. */
export type NotificationOutput = Record<string, unknown> & { contents: Record<string, unknown>[] };

async function outputs<Input>(batch: NoticeBatch, notices: Notice[], spec: SubscriptionSpec<Input>, scope: DeliveryScope) {
  const initiatedByUser = await scope.once('initiator', () => userById(scope.db, batch.initiatedByUserId));
  const ids = [...new Set(notices.map((notice) => notice.id))];
  const objects = await scope.once(`objects:${ids.join(',')}`, () => spec.loadObjects(ids, scope, notices));
  return Promise.all(
    notices.map(async (notice) => ({
      contents: [
        {
          receivedAt: batch.receivedAt,
          type: notice.type,
          rawNotification: JSON.stringify({
            topic: spec.topic,
            type: notice.type,
            id: notice.id,
            ...notice.details,
            receivedAt: batch.receivedAt,
          }),
          initiatedByUser,
          initiatedByApplication: batch.initiatedByApplication,
          ...(await spec.contentFields?.(notice, scope)),
        },
      ],
      [spec.objectField]: objects.get(notice.id) ?? (notice.type === 'DELETED' ? spec.deletedObject?.(notice) : null) ?? null,
    })),
  );
}

async function userById(db: Kysely<DaletDatabase>, id: number | null): Promise<DaletUserRow | null> {
  if (id === null) return null;
  return (await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/**
 * `source`'s messages through `pick`, skipping those that leave nothing. `return()` goes straight to the
 * source, whose pending `next()` then ends: a client gone stops listening at once, even between messages.
 * A message that cannot be picked (the store failing) is reported and skipped, the subscription stays.
 */
function keepNonEmpty<T>(
  source: AsyncIterableIterator<NoticeBatch>,
  pick: (batch: NoticeBatch) => Promise<T[]>,
  report: (error: unknown) => void,
): AsyncIterableIterator<T[]> {
  const iterator: AsyncIterableIterator<T[]> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return { done: true, value: undefined };
        try {
          const picked = await pick(result.value);
          if (picked.length) return { done: false, value: picked };
        } catch (error) {
          report(error);
        }
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * A `Subscription` field's resolver: `subscribe` checks the caller is a Dalet user (AuthenticationError
 * otherwise), `resolve` answers the doc's output `{ notifications }`.
 */
export function subscriptionField<Input extends SubscriptionInput>(notifications: Notifications, spec: SubscriptionSpec<Input>) {
  return {
    async subscribe(_root: unknown, { input }: { input: Input }, context: DaletContext) {
      await daletCaller(context);
      return notifications.subscribe(context, spec, input ?? ({} as Input));
    },
    resolve: (delivered: NotificationOutput[]) => ({ notifications: delivered }),
  };
}

/** A subscription's id filter (`userIds`, `assetIds`...) as a test: none given passes every id. */
export function idFilter(values: readonly unknown[] | null | undefined, name: string): (id: unknown) => boolean {
  const ids = toIds(values, name);
  if (!ids) return () => true;
  const wanted = new Set(ids);
  return (id) => typeof id === 'number' && wanted.has(id);
}

/** Rows by their id, what `loadObjects` answers. */
export function byRowId<Row extends { id: number }>(rows: readonly Row[]): Map<number, Row> {
  return new Map(rows.map((row) => [row.id, row]));
}
