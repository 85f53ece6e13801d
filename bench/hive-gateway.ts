/**
 * The peers users would pick for a Node gateway: Hive Gateway started by its own CLI (`hive-gateway
 * supergraph`) over the bench's supergraph, in its own process, with bench/hive-gateway.config.ts; `hive`
 * plans with its JavaScript query planner, `hive-rust` with the Rust one of `@graphql-hive/router-runtime`
 * (`--hive-router-runtime`, a binary inside the npm package). Loaded only by `npm run bench`.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startService } from './processes.ts';

const CLI = fileURLToPath(new URL('./bin.js', import.meta.resolve('@graphql-hive/gateway')));
const CONFIG = fileURLToPath(new URL('./hive-gateway.config.ts', import.meta.url));

export async function startHiveGateway(port: number, supergraphPath: string, planner: 'js' | 'rust'): Promise<ChildProcess> {
  const args = [CLI, 'supergraph', supergraphPath, '--host', '127.0.0.1', '--port', String(port), '--config-path', CONFIG];
  if (planner === 'rust') args.push('--hive-router-runtime');
  return startService(`hive gateway (${planner} planner)`, args, { NODE_ENV: 'production' }, `http://127.0.0.1:${port}/readiness`);
}
