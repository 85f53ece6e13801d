/**
 * A service's lifecycle: starting, ready, stopping, stopped; and the cleanups of its resources, each
 * registered by the code that creates the resource, right after creating it. If the start fails half way,
 * what was created so far is closed, in the reverse order; `stop()` does the same once everything runs.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export type LifecycleState = 'starting' | 'ready' | 'stopping' | 'stopped';

export interface Lifecycle {
  readonly state: LifecycleState;
  /** Registers how to close a resource just created; closed in the reverse order of registration. */
  onClose(name: string, close: () => unknown): void;
  markReady(): void;
  /**
   * Closes every registered resource, newest first; one that fails does not keep the others open (the
   * first failure is thrown once all ran). Safe to call twice.
   */
  close(): Promise<void>;
}

export function createLifecycle(log: Logger): Lifecycle {
  let state: LifecycleState = 'starting';
  const closers: { name: string; close: () => unknown }[] = [];
  let closing: Promise<void> | undefined;

  return {
    get state() {
      return state;
    },
    onClose(name, close) {
      if (state === 'stopped') throw new Error(`${name} was created after the service stopped`);
      closers.push({ name, close });
    },
    markReady() {
      if (state === 'starting') state = 'ready';
    },
    close: () =>
      (closing ??= (async () => {
        state = 'stopping';
        let failure: unknown;
        for (const { name, close } of closers.reverse()) {
          try {
            await close();
          } catch (error) {
            log.error({ err: error, resource: name }, 'could not close a resource');
            failure ??= error;
          }
        }
        state = 'stopped';
        if (failure !== undefined) throw failure;
      })()),
  };
}

/**
 * `/ready`: 200 when the service takes traffic, 503 with `Retry-After` while it starts or stops (a load
 * balancer then sends requests elsewhere). `/health` says only that the process answers.
 */
export function registerHealthRoutes(app: FastifyInstance, lifecycle: Pick<Lifecycle, 'state'>): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    if (lifecycle.state === 'ready') return { status: 'ready' };
    return reply.code(503).header('retry-after', '1').send({ status: lifecycle.state });
  });
}
