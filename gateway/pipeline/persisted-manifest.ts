/**
 * The manifest of persisted (trusted) documents: the operations a client build may send by id. Read in the
 * formats the tools that make it write:
 *
 * - Apollo's persisted-query manifest (`@apollo/generate-persisted-query-manifest`, also what Hive's app
 *   deployments export): `{ "format": "apollo-persisted-query-manifest", "version": 1,
 *   "operations": [{ "id", "name", "type", "body" }] }`;
 * - a plain map of id to document (Relay's `persistedQueries.json`, Hive's and GraphQL Codegen's
 *   `persisted-documents.json`): `{ "<id>": "<document>" }`.
 *
 * Loaded at start (a manifest that cannot be read stops the gateway) and again whenever the file changes,
 * the way the supergraph is: a reload that fails keeps the last good manifest and is logged.
 */
import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';

export interface PersistedManifest {
  /** The document of an id, if the manifest has it. */
  documentOf(id: string): string | undefined;
  /** Whether a document text is one of the manifest's, byte for byte. */
  hasDocument(text: string): boolean;
  readonly size: number;
}

export type ManifestReload = 'success' | 'failure';

/** The SHA-256 of a document, lower-case hex: the id APQ and Apollo's manifests give it. */
export function documentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** An id without the `sha256:` prefix the GraphQL over HTTP draft's `documentId` may carry; ids are looked up both ways. */
export function plainId(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}

function isStringMap(value: object): value is Record<string, string> {
  return Object.values(value).every((entry) => typeof entry === 'string');
}

/** The manifest a JSON text holds; throws saying what is wrong with it. */
export function parseManifest(text: string): PersistedManifest {
  const json = JSON.parse(text) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('a manifest is a JSON object');
  const documents = new Map<string, string>();
  if ('format' in json) {
    const { format, version, operations } = json as { format: unknown; version: unknown; operations: unknown };
    if (format !== 'apollo-persisted-query-manifest' || version !== 1)
      throw new Error(`unknown manifest format ${JSON.stringify(format)} version ${JSON.stringify(version)}`);
    if (!Array.isArray(operations)) throw new Error('"operations" must be an array');
    for (const [index, operation] of operations.entries()) {
      const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== 'string' || typeof body !== 'string' || id === '')
        throw new Error(`operations[${index}] needs a string "id" and "body"`);
      documents.set(id, body);
    }
  } else if (isStringMap(json)) {
    for (const [id, body] of Object.entries(json)) documents.set(id, body);
  } else {
    throw new Error("expected Apollo's persisted-query manifest or a map of id to document");
  }
  const texts = new Set(documents.values());
  return {
    documentOf: (id) => documents.get(id) ?? documents.get(plainId(id)),
    hasDocument: (text) => texts.has(text),
    size: documents.size,
  };
}

export interface WatchedManifest {
  current(): PersistedManifest;
  close(): void;
}

const DEBOUNCE_MS = 100;

/** The manifest at `path`, read now and again after each change of the file. */
export function watchManifest(
  path: string,
  { logger, onReload }: { logger: Logger; onReload?: (result: ManifestReload) => void },
): WatchedManifest {
  const file = resolve(path);
  const load = () => parseManifest(readFileSync(file, 'utf8'));
  let manifest: PersistedManifest;
  try {
    manifest = load();
  } catch (error) {
    throw new Error(`PERSISTED_DOCUMENTS: cannot read the manifest ${file}: ${(error as Error).message}`, { cause: error });
  }
  logger.info({ documents: manifest.size }, 'persisted documents loaded');
  let debounce: NodeJS.Timeout | undefined;
  const reload = () => {
    try {
      manifest = load();
      logger.info({ documents: manifest.size }, 'persisted documents reloaded');
      onReload?.('success');
    } catch (error) {
      logger.error({ err: error }, 'persisted documents reload failed; still using the last good manifest');
      onReload?.('failure');
    }
  };
  // The directory is watched rather than the file, so that a save by rename (editors, deploy tools) is seen.
  const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
    if (name?.toString() !== basename(file)) return;
    clearTimeout(debounce);
    debounce = setTimeout(reload, DEBOUNCE_MS);
  });
  return {
    current: () => manifest,
    close() {
      clearTimeout(debounce);
      watcher.close();
    },
  };
}
