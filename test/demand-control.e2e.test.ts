/**
 * Demand control through the gateway, over a fixture subgraph that declares `@cost` and `@listSize`: an
 * operation over MAX_OPERATION_COST refused with its estimate before any subgraph call, the estimate and the
 * actual cost returned when asked, a caller's cost budget spent while another's is not, and measure mode
 * counting and logging what it would refuse without refusing it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../core/identity.ts';
import { librarySubgraph, MAX_BOOKS } from './helpers/library-subgraph.ts';
import { captureLogs } from './helpers/logs.ts';
import { startPlatform, type GraphQLResponse, type Platform } from './helpers/platform.ts';
import { scrape } from './helpers/prometheus.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'demand-control-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

const callers: Record<string, Principal> = {
  alice: { kind: 'user', userId: 'alice', roles: {} },
  bob: { kind: 'user', userId: 'bob', roles: {} },
};
const authenticate = async (request: FastifyRequest) => callers[String(request.headers['x-test-caller'])] ?? ANONYMOUS;

async function post(platform: Platform, body: object, caller = 'alice'): Promise<GraphQLResponse> {
  const response = await fetch(platform.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-caller': caller },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

async function withLibrary(
  env: Record<string, string>,
  test: (platform: Platform, library: ReturnType<typeof librarySubgraph>, logs: ReturnType<typeof captureLogs>) => Promise<void>,
) {
  const library = librarySubgraph(schemaDir);
  const logs = captureLogs();
  const platform = await startPlatform({ subgraphs: [library.definition], gatewayEnv: env, authenticate, logger: logs.logger });
  try {
    await test(platform, library, logs);
  } finally {
    await platform.stop();
  }
}

// Each book costs 1, its pages 2 more: `first` books with their pages cost 3 × first.
const BOOKS = 'query Books($first: Int) { books(first: $first) { title pages } }';

describe('demand control, enforced', () => {
  it('refuses an operation whose estimate is over MAX_OPERATION_COST before calling any subgraph, with the estimate', () =>
    withLibrary({ DEMAND_CONTROL: 'enforce', MAX_OPERATION_COST: '30' }, async (platform, library) => {
      const refused = await post(platform, { query: BOOKS, variables: { first: 11 } });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        errors: [
          {
            message: 'The estimated cost of the operation, 33, is over the maximum of 30.',
            extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: 33, max: 30 } },
          },
        ],
      });
      expect(library.calls.count).toBe(0);

      // Within the limit it runs; asked for, the estimate and the actual cost (the subgraph answered fewer books) come back.
      const served = await post(platform, { query: BOOKS, variables: { first: 10 }, extensions: { includeCost: true } });
      expect(served.status).toBe(200);
      expect(served.body.data.books).toHaveLength(MAX_BOOKS);
      expect((served.body as { extensions?: unknown }).extensions).toEqual({ cost: { estimated: 30, actual: 3 * MAX_BOOKS } });
      // Not asked for, no cost in the answer.
      expect(await post(platform, { query: BOOKS, variables: { first: 1 } }).then((answer) => answer.body)).not.toHaveProperty(
        'extensions',
      );

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_cost_rejections_total', { reason: 'max_cost', enforced: 'true' })).toBe(1);
      expect(metrics.value('gateway_operation_cost_estimated_count')).toBe(3);
      expect(metrics.value('gateway_operation_cost_estimated_sum')).toBe(33 + 30 + 3);
      expect(metrics.value('gateway_operation_cost_actual_sum')).toBe(0 + 3 * MAX_BOOKS + 3);
    }));

  it("refuses a caller whose cost budget is spent for the window, while another caller's is not", () =>
    withLibrary({ DEMAND_CONTROL: 'enforce', COST_BUDGET: '20' }, async (platform, library) => {
      // 3 × 3 = 9 each: two fit in 20, the third does not.
      for (let round = 0; round < 2; round++) expect((await post(platform, { query: BOOKS, variables: { first: 3 } })).status).toBe(200);
      const spent = await post(platform, { query: BOOKS, variables: { first: 3 } });
      expect(spent.status).toBe(429);
      const retryAfter = Number(spent.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(spent.body.errors).toEqual([
        {
          message: `Cost budget of 20 per window spent; retry in ${retryAfter} s`,
          extensions: { code: 'COST_BUDGET_EXCEEDED', retryAfter, cost: { estimated: 9 } },
        },
      ]);
      expect(library.calls.count).toBe(2);

      const other = await post(platform, { query: BOOKS, variables: { first: 3 } }, 'bob');
      expect(other.status).toBe(200);
      expect(other.body.data.books).toHaveLength(MAX_BOOKS);

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_cost_rejections_total', { reason: 'budget', enforced: 'true' })).toBe(1);
    }));

  it('refuses a field declaring slicing arguments called without one', () =>
    withLibrary({ DEMAND_CONTROL: 'enforce' }, async (platform) => {
      const refused = await post(platform, { query: '{ books { title } }' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { message: 'Exactly one slicing argument must be given to Query.books.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ]);
    }));
});

describe('demand control, measure only', () => {
  it('counts and logs what it would refuse, and never refuses', () =>
    withLibrary({ DEMAND_CONTROL: 'measure', MAX_OPERATION_COST: '5', COST_BUDGET: '5' }, async (platform, library, logs) => {
      for (let round = 0; round < 3; round++) {
        const served = await post(platform, { query: BOOKS, variables: { first: 4 }, extensions: { includeCost: true } });
        expect(served.status).toBe(200);
        expect(served.body.data.books).toHaveLength(MAX_BOOKS);
        expect((served.body as { extensions?: unknown }).extensions).toEqual({ cost: { estimated: 12, actual: 3 * MAX_BOOKS } });
      }
      expect(library.calls.count).toBe(3);
      await logs.waitFor('demand control would refuse: The estimated cost of the operation, 12, is over the maximum of 5.');
      await logs.waitFor('demand control would refuse: Cost budget of 5 per window spent');

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_cost_rejections_total', { reason: 'max_cost', enforced: 'false' })).toBe(3);
      expect(metrics.value('gateway_cost_rejections_total', { reason: 'budget', enforced: 'false' })).toBe(3);
      expect(metrics.value('gateway_cost_rejections_total', { enforced: 'true' })).toBe(0);
      expect(metrics.value('gateway_operation_cost_estimated_count')).toBe(3);
    }));
});
