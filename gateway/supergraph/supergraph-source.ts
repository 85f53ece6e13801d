/**
 * Where the gateway's supergraph comes from, and how it changes while the gateway serves.
 *
 * A source loads a supergraph SDL and reloads it when its inputs change: files are watched, and
 * `subgraph_url` sources are polled. A reload that fails (bad schema, composition error, unreachable
 * subgraph, a supergraph the gateway rejects) is logged and the last good supergraph keeps serving.
 * @apollo/gateway swaps schemas atomically: requests in flight finish on the plan they started with.
 * ApolloGateway is given each supergraph through `forApolloGateway` (authorization/security-links.ts), so
 * that supergraphs using @authenticated / @requiresScopes load; the gateway enforces those itself.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from 'pino';
import { forApolloGateway } from '../pipeline/authorization/security-links.ts';
import { composeFromConfig } from './composition.ts';
import { readSupergraphConfig } from '../../core/supergraph-config.ts';

export type ReloadResult = 'success' | 'failure' | 'unchanged';

export interface SupergraphSourceOptions {
  logger: Logger;
  /** How often `subgraph_url` schemas are fetched again, in milliseconds. */
  pollIntervalMs: number;
  /** Asks a running subgraph for its SDL. */
  fetchSdl: (subgraphUrl: string, name: string) => Promise<string>;
  /** Told of every reload attempt, for metrics. */
  onReload?: (result: ReloadResult) => void;
}

interface Loaded {
  supergraphSdl: string;
  /** The files whose change should trigger a reload. */
  files: string[];
  /** Whether some input can only be watched by polling. */
  poll: boolean;
}

/** Composes the subgraphs listed in a rover supergraph config (supergraph.yaml). */
export function supergraphFromConfig(configPath: string, env: NodeJS.ProcessEnv, options: SupergraphSourceOptions): SupergraphManager {
  return watchedSupergraph(async () => {
    const config = readSupergraphConfig(configPath, env);
    const { supergraphSdl } = await composeFromConfig(config, options.fetchSdl);
    const files = config.subgraphs.flatMap(({ schema }) => ('file' in schema ? [schema.file] : []));
    return { supergraphSdl, files: [resolve(configPath), ...files], poll: files.length < config.subgraphs.length };
  }, options);
}

/** Serves a ready supergraph SDL file, e.g. one composed by rover or `npm run compose`. */
export function supergraphFromFile(path: string, options: SupergraphSourceOptions): SupergraphManager {
  return watchedSupergraph(async () => ({ supergraphSdl: await readFile(path, 'utf8'), files: [resolve(path)], poll: false }), options);
}

const DEBOUNCE_MS = 100;

function watchedSupergraph(load: () => Promise<Loaded>, { logger, pollIntervalMs, onReload }: SupergraphSourceOptions): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = await load();
      let watchers: FSWatcher[] = [];
      let debounce: NodeJS.Timeout | undefined;
      let poller: NodeJS.Timeout | undefined;
      let queue = Promise.resolve();
      let stopped = false;

      const reload = async () => {
        if (stopped) return;
        try {
          const next = await load();
          rewatch(next);
          if (next.supergraphSdl === current.supergraphSdl) return onReload?.('unchanged');
          update(forApolloGateway(next.supergraphSdl));
          current = next;
          logger.info('supergraph reloaded');
          onReload?.('success');
        } catch (error) {
          logger.error({ err: error }, 'supergraph reload failed; still serving the last good supergraph');
          onReload?.('failure');
        }
      };
      const scheduleReload = () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => (queue = queue.then(reload)), DEBOUNCE_MS);
      };
      // Directories are watched rather than files, so that editors' save-by-rename is seen too.
      const rewatch = ({ files, poll }: Loaded) => {
        for (const watcher of watchers) watcher.close();
        const namesByDirectory = new Map<string, Set<string>>();
        for (const file of files) {
          const names = namesByDirectory.get(dirname(file)) ?? new Set<string>();
          namesByDirectory.set(dirname(file), names.add(basename(file)));
        }
        watchers = [...namesByDirectory].map(([directory, names]) =>
          watch(directory, (_event, name) => {
            if (name && names.has(name.toString())) scheduleReload();
          }),
        );
        clearInterval(poller);
        poller = poll ? setInterval(() => (queue = queue.then(reload)), pollIntervalMs).unref() : undefined;
      };

      rewatch(current);
      return {
        supergraphSdl: forApolloGateway(current.supergraphSdl),
        async cleanup() {
          stopped = true;
          clearTimeout(debounce);
          clearInterval(poller);
          for (const watcher of watchers) watcher.close();
          await queue;
        },
      };
    },
  };
}
