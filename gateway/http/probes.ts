/**
 * `/health`: the process answers. `/ready`: it should get traffic: not stopping, and every subgraph's health
 * probe answering (supergraph/subgraph-health.ts); the body also shows each subgraph's circuit.
 */
import type { FastifyInstance } from 'fastify';
import type { CircuitStateName } from '../execution/subgraph-resilience.ts';
import type { SubgraphHealth } from '../supergraph/subgraph-health.ts';

export interface ProbeSources {
  stopping(): boolean;
  unreachable: SubgraphHealth['unreachable'];
  /** Each subgraph's circuit breaker state (execution/subgraph-resilience.ts). */
  circuits(): Record<string, CircuitStateName>;
}

export function registerProbes(app: FastifyInstance, { stopping, unreachable, circuits }: ProbeSources): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    if (stopping()) return reply.code(503).send({ status: 'stopping' });
    const down = unreachable();
    // An open circuit does not make the gateway unready: its subgraph's health decides that.
    return down.length === 0
      ? { status: 'ready', circuits: circuits() }
      : reply.code(503).send({ status: 'unready', unreachable: down, circuits: circuits() });
  });
}
