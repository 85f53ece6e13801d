/**
 * The caches every new operation text fills: Apollo Server's parsed and validated documents, and
 * @apollo/gateway's query plans. Both are LRU caches bounded by bytes, but Apollo counts an entry's bytes as
 * the length of its JSON, and the heap holds several times that (a document keeps its lexer tokens through
 * `loc`, every node is an object; the plan execution's compiled operation lives as long as its document):
 * nominal 30 MiB each held about five times that. Here an entry counts the heap bytes it was measured to hold
 * per byte of its JSON, so that the budgets are what the process really spends. bench/memory.ts measures it.
 */
import type { QueryPlan } from '@apollo/query-planner';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Heap bytes per byte of JSON, measured (Node 20, graphql 16) on unique operations of 100 to 400 characters,
 * dense and sparse: a parsed document holds 4.0-4.9 and the plan execution's compiled operation adds about
 * 1 more; a query plan holds 3.3.
 */
export const HEAP_BYTES_PER_JSON_BYTE = Object.freeze({ document: 6, queryPlan: 3.5 });

export interface OperationCacheOptions {
  /** DOCUMENT_CACHE_MB, default 32: heap spent on parsed documents (and what is compiled per document). */
  documentCacheBytes: number;
  /** QUERY_PLAN_CACHE_MB, default 32: heap spent on query plans. */
  queryPlanCacheBytes: number;
}

export const DEFAULT_OPERATION_CACHE_MB = 32;

/** A KeyValueCache (what Apollo Server's `documentStore` and the gateway's `queryPlannerConfig.cache` take) bounded by heap bytes. */
export class HeapBoundedCache<V extends object> implements KeyValueCache<V> {
  private readonly cache: LRUCache<string, V>;

  constructor(maxBytes: number, heapBytesPerJsonByte: number) {
    this.cache = new LRUCache<string, V>({
      maxSize: maxBytes,
      // Entries bigger than a tenth of the budget are not kept: one would push out hundreds of others.
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 10)),
      sizeCalculation: (value, key) =>
        Math.max(1, Math.ceil((Buffer.byteLength(JSON.stringify(value)) + key.length) * heapBytesPerJsonByte)),
    });
  }

  async get(key: string): Promise<V | undefined> {
    return this.cache.get(key);
  }

  async set(key: string, value: V): Promise<void> {
    this.cache.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }

  /** Bytes counted now, at most the budget. */
  get calculatedSize(): number {
    return this.cache.calculatedSize;
  }
}

export function createOperationCaches({ documentCacheBytes, queryPlanCacheBytes }: OperationCacheOptions) {
  return {
    documentStore: new HeapBoundedCache<DocumentNode>(documentCacheBytes, HEAP_BYTES_PER_JSON_BYTE.document),
    queryPlanStore: new HeapBoundedCache<QueryPlan>(queryPlanCacheBytes, HEAP_BYTES_PER_JSON_BYTE.queryPlan),
  };
}
