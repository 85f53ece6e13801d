import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** How long requests in flight may take to finish once a service is stopping, in milliseconds. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * Lets `app.close()` finish requests in flight, then end. Node's server.close() closes idle keep-alive
 * connections once; a connection busy at that moment would stay open afterwards and hold the close
 * forever. So every answer sent while closing asks the client to close that connection, and whatever is
 * still open after the grace period is cut.
 */
export function closeGracefully(app: FastifyInstance, graceMs = DEFAULT_SHUTDOWN_GRACE_MS): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    setTimeout(() => app.server.closeAllConnections(), graceMs).unref();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
}

/** For entry points: on SIGINT or SIGTERM, stop the service, then exit (1 if stopping failed). */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'failed to stop cleanly');
          process.exit(1);
        },
      );
    });
  }
}
