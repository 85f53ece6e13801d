/**
 * A throwaway redis-server, found on PATH (.ci/run installs Debian's `redis-server`), on a free loopback
 * port, keeping nothing on disk.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = once(server, 'exit');
  const failed = once(server, 'error').then(([error]) => {
    throw new Error(`redis-server did not start (apt-get install redis-server): ${(error as Error).message}`);
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await Promise.race([client.connect(), failed]);
      await client.ping();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
  return {
    url,
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}
