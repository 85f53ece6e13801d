/**
 * Loading in batches with DataLoader, for `__resolveReference` and for fields that fetch one row per
 * parent: every `load(key)` made for one request within one tick becomes one call of `loadMany`, so the
 * gateway's `_entities` with 100 representations costs one query, not 100. One loader per request (its
 * context), so nothing is cached across callers.
 */
import DataLoader from 'dataloader';

/** Most rows per batch: SQLite and Postgres both take a list this long in one `in (...)`. */
export const MAX_BATCH_SIZE = 1000;

/**
 * What one batch returns: for each key found, its value, or an Error for that key alone (a GraphQL error
 * for that entity). Keys missing from the map resolve to null.
 */
export type BatchResult<Value> = ReadonlyMap<string, Value | Error>;

export type BatchLoad<Value, Context> = (keys: readonly string[], context: Context) => Promise<BatchResult<Value>>;

/** A loader per request: `load(key, context)` resolves the key's value, or null when the batch did not find it. */
export function createBatchLoader<Value, Context extends object>(
  loadMany: BatchLoad<Value, Context>,
): (key: string, context: Context) => Promise<Value | null> {
  // Keyed by the request's context, so a loader lives exactly as long as its request.
  const loaders = new WeakMap<Context, DataLoader<string, Value | null>>();
  return (key, context) => {
    let loader = loaders.get(context);
    if (!loader) {
      loader = new DataLoader<string, Value | null>(
        async (keys) => {
          const found = await loadMany(keys, context);
          return keys.map((one) => found.get(one) ?? null);
        },
        { maxBatchSize: MAX_BATCH_SIZE },
      );
      loaders.set(context, loader);
    }
    return loader.load(key);
  };
}

/** Rows by one of their columns, as a batch result. */
export function byKey<Row>(rows: readonly Row[], key: (row: Row) => string): Map<string, Row> {
  return new Map(rows.map((row) => [key(row), row]));
}
