/**
 * The processes of a bench run: each target and each fixture in its own process, started on a free port,
 * read from /proc while loaded, and stopped in the reverse order of their start.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const children: ChildProcess[] = [];

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts a TypeScript entry in its own process; resolves once it says it is ready over IPC. */
export async function startTs(entry: string, args: string[]): Promise<ChildProcess> {
  const child = fork(entry, args, { execArgv: ['--import', 'tsx'], env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' } });
  children.push(child);
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error(`${entry} exited before it was ready`);
    }),
  ])) as [unknown];
  if (!(message as { ready?: boolean }).ready) throw new Error(`${entry} sent ${JSON.stringify(message)}`);
  return child;
}

/** Starts a service by its own entry point, as in production; resolves once `readyUrl` answers 2xx. */
export async function startService(name: string, nodeArgs: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not ready within 60 s`);
}

/** User + system CPU time of a process so far, in milliseconds (clock ticks are 10 ms on Linux). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  await exited;
}

/** In the reverse order of their start: the gateways first, so that none calls a service already gone. */
export async function stopAll(): Promise<void> {
  for (const child of children.reverse()) await stop(child);
}
