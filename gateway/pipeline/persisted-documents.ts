/**
 * Persisted documents, as a stage of the pipeline: a request naming its document by id gets the document's
 * text put in its place, before the login rate limit and the document limits read it, so that every later
 * stage sees the text that runs (a login field sent by hash is counted as one sent in full).
 *
 * Ids come as Apollo's wire shape, `extensions.persistedQuery.sha256Hash`, or as the GraphQL over HTTP draft's
 * `documentId`. An id is looked up in the manifest (persisted-manifest.ts), then among the documents clients
 * registered by automatic persisted queries (APQ): a hash sent with its `query` registers the text once the
 * text's SHA-256 is checked to be that hash, in a cache bounded by bytes.
 *
 * Three modes, by configuration:
 * - no manifest: free-text operations run; APQ as above;
 * - a manifest ("log unknown"): free-text operations still run; one that is not in the manifest is logged
 *   and counted, so that the manifest can be made complete before it is required;
 * - a manifest and PERSISTED_DOCUMENTS_REQUIRED: only the manifest's documents run, sent by id; free text,
 *   unknown ids and APQ registrations are refused, HTTP 400.
 */
import type { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { cognitiveCloudError, type CognitiveCloudErrorCode } from '../../core/errors.ts';
import { errorAnswer, type GatewayRequest, type PipelineAnswer } from './gateway-request.ts';
import { documentHash, plainId, watchManifest, type ManifestReload, type WatchedManifest } from './persisted-manifest.ts';

/** What became of a request's document, as counted in metrics. */
export type PersistedDocumentOutcome = 'hit' | 'apq_hit' | 'registered' | 'unknown_id' | 'free_text_unknown' | 'free_text_refused';
export const PERSISTED_DOCUMENT_OUTCOMES: readonly PersistedDocumentOutcome[] = [
  'hit',
  'apq_hit',
  'registered',
  'unknown_id',
  'free_text_unknown',
  'free_text_refused',
];

export interface PersistedDocumentsOptions {
  /** PERSISTED_DOCUMENTS: the manifest's path. Default none: free-text operations run unlogged. */
  manifestPath?: string;
  /** PERSISTED_DOCUMENTS_REQUIRED, default false: only the manifest's documents run. Needs `manifestPath`. */
  required?: boolean;
  /** APQ_CACHE_MB, in bytes; default 8 MiB: texts registered by automatic persisted queries. 0 turns APQ off. */
  apqCacheBytes?: number;
  logger: Logger;
  onOutcome?: (outcome: PersistedDocumentOutcome) => void;
  onManifestReload?: (result: ManifestReload) => void;
}

export interface PersistedDocuments {
  /** The stage: puts each document sent by id in place, or answers why it cannot run. */
  resolveDocuments(request: GatewayRequest): PipelineAnswer | undefined;
  /** Stops watching the manifest. */
  close(): void;
}

export const DEFAULT_APQ_CACHE_BYTES = 8 * 2 ** 20;

type Payload = Record<string, unknown>;
/** Why a payload cannot run: a class, so that no payload a client sends can be taken for one. */
class Refusal {
  constructor(
    readonly error: GraphQLError,
    readonly status: number,
  ) {}
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function refusal(code: CognitiveCloudErrorCode, message: string, status: number): Refusal {
  return new Refusal(cognitiveCloudError(code, message), status);
}

/** The payload with its document's text in place, and no id left for Apollo Server (whose own APQ is off). */
function withText(payload: Payload, text: string): Payload {
  const { documentId: _id, extensions, ...rest } = payload;
  const { persistedQuery: _persisted, ...otherExtensions } = isObject(extensions) ? extensions : {};
  return { ...rest, query: text, ...(Object.keys(otherExtensions).length > 0 ? { extensions: otherExtensions } : {}) };
}

export function createPersistedDocuments(options: PersistedDocumentsOptions): PersistedDocuments {
  const { logger, required = false } = options;
  if (required && !options.manifestPath) throw new Error('PERSISTED_DOCUMENTS_REQUIRED needs a manifest: set PERSISTED_DOCUMENTS');
  const manifest: WatchedManifest | undefined = options.manifestPath
    ? watchManifest(options.manifestPath, { logger, onReload: options.onManifestReload })
    : undefined;
  const apqBytes = required ? 0 : (options.apqCacheBytes ?? DEFAULT_APQ_CACHE_BYTES);
  const registered =
    apqBytes > 0
      ? new LRUCache<string, string>({ maxSize: apqBytes, sizeCalculation: (text, hash) => text.length + hash.length })
      : undefined;
  const count = (outcome: PersistedDocumentOutcome) => options.onOutcome?.(outcome);

  const freeText = (payload: Payload, text: string): Payload | Refusal => {
    if (required) {
      count('free_text_refused');
      return refusal(
        'PERSISTED_DOCUMENT_REQUIRED',
        'This gateway runs only the documents of its persisted-documents manifest: send the id of one as `extensions.persistedQuery.sha256Hash` or `documentId`.',
        400,
      );
    }
    if (manifest && !manifest.current().hasDocument(text)) {
      count('free_text_unknown');
      // The hash, not the text: a document may carry secrets in its literals.
      logger.warn(
        { operationName: payload.operationName, documentHash: documentHash(text) },
        'operation not in the persisted-documents manifest',
      );
    }
    return payload;
  };

  const resolve = (payload: Payload): Payload | Refusal => {
    const persisted = isObject(payload.extensions) ? payload.extensions.persistedQuery : undefined;
    if (persisted !== undefined && (!isObject(persisted) || persisted.version !== 1 || typeof persisted.sha256Hash !== 'string'))
      return refusal(
        'BAD_REQUEST',
        '`extensions.persistedQuery` takes {"version": 1, "sha256Hash": "<SHA-256 of the document, hex>"}.',
        400,
      );
    const id = typeof payload.documentId === 'string' ? payload.documentId : (persisted?.sha256Hash as string | undefined);
    const text = typeof payload.query === 'string' ? payload.query : undefined;
    if (id === undefined) return text === undefined ? payload : freeText(payload, text);

    const inManifest = manifest?.current().documentOf(id);
    if (inManifest !== undefined) {
      count('hit');
      return withText(payload, inManifest);
    }
    if (required) {
      count('unknown_id');
      return refusal(
        'PERSISTED_DOCUMENT_NOT_FOUND',
        `No document of the persisted-documents manifest has the id "${id.slice(0, 128)}".`,
        400,
      );
    }
    if (text !== undefined) {
      // Registered only under its own hash, so that no one can make a hash run another document.
      if (documentHash(text) !== plainId(id).toLowerCase())
        return refusal('BAD_REQUEST', 'The SHA-256 of `query` is not the hash it was sent with.', 400);
      if (registered) {
        registered.set(documentHash(text), text);
        count('registered');
      }
      return freeText(withText(payload, text), text);
    }
    const cached = registered?.get(plainId(id).toLowerCase());
    if (cached !== undefined) {
      count('apq_hit');
      return withText(payload, cached);
    }
    count('unknown_id');
    // Apollo's message and code: APQ clients match them to send the document again with its text.
    return refusal('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', 200);
  };

  return {
    resolveDocuments(request) {
      const get = request.method === 'GET';
      const original = get ? fromQueryString(request.query) : request.body;
      const payloads = Array.isArray(original) ? original : [original];
      if (!payloads.every(isObject)) return undefined; // left to Apollo Server, which answers a malformed body
      const resolved: Payload[] = [];
      for (const payload of payloads) {
        const result = resolve(payload);
        if (result instanceof Refusal) {
          const headers: Record<string, string> = result.status === 200 ? { 'cache-control': 'private, no-cache, must-revalidate' } : {};
          return errorAnswer(result.status, [result.error.toJSON()], headers);
        }
        resolved.push(result);
      }
      if (resolved.every((payload, index) => payload === payloads[index])) return undefined;
      if (get) toQueryString(request, resolved[0]!);
      else request.body = Array.isArray(original) ? resolved : resolved[0];
      return undefined;
    },
    close: () => manifest?.close(),
  };
}

/** A GET's parameters as a payload: `extensions` is JSON there. */
function fromQueryString(query: unknown): unknown {
  if (!isObject(query) || typeof query.extensions !== 'string') return query;
  try {
    return { ...query, extensions: JSON.parse(query.extensions) as unknown };
  } catch {
    return query; // Apollo Server answers extensions that are not JSON
  }
}

/** Writes a resolved GET payload back to the query string Apollo Server reads. */
function toQueryString(request: GatewayRequest, payload: Payload): void {
  const parameters = new URLSearchParams(request.search);
  parameters.delete('documentId');
  parameters.delete('extensions');
  parameters.set('query', payload.query as string);
  if (payload.extensions !== undefined) parameters.set('extensions', JSON.stringify(payload.extensions));
  request.search = `?${parameters}`;
  request.query = Object.fromEntries(parameters);
}
