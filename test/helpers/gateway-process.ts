/**
 * The gateway in a process of its own, as `npm run start:gateway` runs it (its node flags too), over the
 * subgraphs of a test platform: for tests that measure how the gateway answers while the test itself is
 * busy sending load, which in one process would share the gateway's event loop.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags.ts';
import { freePort } from './free-port.ts';
import { IDENTITY_SECRET, type Platform } from './platform.ts';

export interface GatewayProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startGatewayProcess(platform: Platform, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: platform.dataDir,
      SUPERGRAPH_CONFIG: platform.supergraphConfigPath,
      IDENTITY_SECRET,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode} before it was ready`);
    if (Date.now() > deadline) throw new Error('the gateway was not ready within 60 s');
    const ready = await fetch(`${origin}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `${origin}/graphql`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
