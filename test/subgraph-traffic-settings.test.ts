/** The settings of subgraph fetches (connections, deduplication, retries, breaker, header propagation): defaults and refusals naming the field. */
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/config.ts';

const traffic = (env: Record<string, string>) => parseGatewayConfig(env).subgraphTraffic;

describe('subgraph traffic settings', () => {
  it('default to 128 connections per subgraph, deduplication on, two retries within a 20% budget, a breaker at 5 failures, no header propagated', () => {
    expect(traffic({})).toEqual({
      maxConnections: 128,
      deduplication: true,
      retries: { maxRetries: 2, backoffMs: 50, maxDelayMs: 2000, budgetPercent: 20, budgetMin: 10, budgetWindowMs: 10_000 },
      breaker: { consecutiveFailures: 5, failurePercent: 50, cooldownMs: 10_000 },
      headers: { all: [], subgraphs: {}, cacheControl: false },
    });
    expect(Object.isFrozen(traffic({}).retries)).toBe(true);
  });

  it('read every variable', () => {
    const settings = traffic({
      SUBGRAPH_MAX_CONNECTIONS: '4',
      SUBGRAPH_DEDUPLICATION: 'false',
      SUBGRAPH_RETRIES: '0',
      SUBGRAPH_RETRY_BUDGET_PERCENT: '5',
      SUBGRAPH_BREAKER_COOLDOWN_MS: '250',
      HEADER_PROPAGATION: '{"all": ["X-Tenant"], "subgraphs": {"accounts": ["authorization"]}, "cacheControl": true}',
    });
    expect(settings.maxConnections).toBe(4);
    expect(settings.deduplication).toBe(false);
    expect(settings.retries.maxRetries).toBe(0);
    expect(settings.retries.budgetPercent).toBe(5);
    expect(settings.breaker.cooldownMs).toBe(250);
    expect(settings.headers).toEqual({ all: ['x-tenant'], subgraphs: { accounts: ['authorization'] }, cacheControl: true });
  });

  it.each([
    [{ SUBGRAPH_MAX_CONNECTIONS: '0' }, 'SUBGRAPH_MAX_CONNECTIONS must be a whole number from 1 to 10000, got "0"'],
    [{ SUBGRAPH_DEDUPLICATION: 'yes' }, 'SUBGRAPH_DEDUPLICATION must be true or false, got "yes"'],
    [{ SUBGRAPH_RETRIES: '-1' }, 'SUBGRAPH_RETRIES must be a whole number from 0 to 10, got "-1"'],
    [{ SUBGRAPH_RETRY_BUDGET_PERCENT: '150' }, 'SUBGRAPH_RETRY_BUDGET_PERCENT must be a whole number from 0 to 100'],
    [{ SUBGRAPH_BREAKER_COOLDOWN_MS: '0' }, 'SUBGRAPH_BREAKER_COOLDOWN_MS must be a whole number from 1'],
    [{ HEADER_PROPAGATION: '{all:' }, 'HEADER_PROPAGATION: must be a JSON object'],
    [{ HEADER_PROPAGATION: '{"al": []}' }, 'HEADER_PROPAGATION: unknown field "al"'],
    [{ HEADER_PROPAGATION: '{"all": "x-tenant"}' }, 'HEADER_PROPAGATION: all must be a list of header names'],
    [{ HEADER_PROPAGATION: '{"all": ["bad name"]}' }, 'HEADER_PROPAGATION: all holds "bad name", not a header name'],
    [{ HEADER_PROPAGATION: '{"all": ["x-fed-identity"]}' }, `"x-fed-identity" is the gateway's own`],
    [{ HEADER_PROPAGATION: '{"subgraphs": {"accounts": ["X-Request-Id"]}}' }, `subgraphs.accounts: "x-request-id" is the gateway's own`],
    [{ HEADER_PROPAGATION: '{"all": ["host"]}' }, `"host" is the gateway's own or the connection's header`],
    [{ HEADER_PROPAGATION: '{"cacheControl": "yes"}' }, 'HEADER_PROPAGATION: cacheControl must be true or false'],
  ])('refuse %j', (env, message) => {
    expect(() => traffic(env)).toThrow(message);
  });
});
