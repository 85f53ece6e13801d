import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../gateway/metrics/gateway-metrics.ts';
import { DURATION_BUCKETS } from '../core/metrics.ts';
import { greetingsSubgraph, type GreetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { captureLogs } from './helpers/logs.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';
import { parsePrometheus, scrape, type Scrape } from './helpers/prometheus.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'metrics-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

const metricsUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
/** A subgraph serves `/metrics` only behind a token. */
const scrapeSubgraph = (platform: Platform) =>
  scrape(metricsUrlOf(platform.subgraphUrls.greetings!), { authorization: `Bearer ${METRICS_TOKEN}` });

/** How much each series moved between two scrapes. */
function delta(before: Scrape, after: Scrape) {
  return (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
}

describe('the gateway /metrics', () => {
  let platform: Platform;
  let greetings: GreetingsSubgraph;
  beforeAll(async () => {
    greetings = greetingsSubgraph(schemaDir);
    platform = await startPlatform({
      subgraphs: [greetings.definition],
      gatewayEnv: { METRICS_MAX_OPERATION_NAMES: '5' },
      subgraphEnv: { METRICS_TOKEN },
    });
  });
  afterAll(() => platform.stop());
  const gatewayMetrics = () => scrape(platform.metricsUrl);

  it('counts requests, operations by name, type and outcome, and subgraph fetches, by exactly what was sent', async () => {
    const before = await gatewayMetrics();
    const callsBefore = greetings.calls.count;
    for (let i = 0; i < 3; i++) expect((await platform.query('query Hello { hello(name: "a") }')).status).toBe(200);
    expect((await platform.query('query Broken { broken }')).body.errors?.[0]?.message).toBe('broken on purpose');
    expect((await platform.query('{ hello(name: "b") }')).status).toBe(200);
    expect((await platform.query('mutation SendCode { send_email_otp(email: "a@example.com") }')).status).toBe(200);
    expect((await platform.query('query Nope { nope }')).status).toBe(400);
    const change = delta(before, await gatewayMetrics());

    const operations = (operation_name: string, operation_type: string, outcome: string) =>
      change('gateway_operations_total', { operation_name, operation_type, outcome });
    expect(operations('Hello', 'query', 'success')).toBe(3);
    expect(operations('Broken', 'query', 'error')).toBe(1);
    expect(operations('(anonymous)', 'query', 'success')).toBe(1);
    expect(operations('SendCode', 'mutation', 'success')).toBe(1);
    // A document that does not validate is counted without the name its client gave it.
    expect(operations('(invalid)', 'unknown', 'invalid')).toBe(1);
    expect(change('gateway_operations_total')).toBe(7);

    expect(change('graphql_http_requests_total', { status_code: '200' })).toBe(6);
    expect(change('graphql_http_requests_total', { status_code: '400' })).toBe(1);
    expect(change('graphql_http_request_duration_seconds_count')).toBe(7);

    // The invalid operation never reached the subgraph; every other one made exactly one call.
    expect(change('gateway_subgraph_fetches_total', { subgraph: 'greetings', outcome: 'success' })).toBe(6);
    expect(change('gateway_subgraph_fetches_total')).toBe(6);
    expect(change('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'greetings' })).toBe(6);
    expect(greetings.calls.count - callsBefore).toBe(6);
  });

  it('keeps durations in histograms with buckets', async () => {
    await platform.query('query Hello { hello(name: "a") }');
    const metrics = await gatewayMetrics();
    const hello = { operation_name: 'Hello', operation_type: 'query', outcome: 'success' };
    const bounds = metrics
      .series('gateway_operation_duration_seconds_bucket')
      .filter((labels) => labels.operation_name === 'Hello' && labels.outcome === 'success')
      .map((labels) => labels.le);
    expect(bounds).toEqual([...DURATION_BUCKETS.map(String), '+Inf']);
    const count = metrics.value('gateway_operation_duration_seconds_count', hello);
    expect(count).toBeGreaterThan(0);
    expect(metrics.value('gateway_operation_duration_seconds_bucket', { ...hello, le: '+Inf' })).toBe(count);
    expect(metrics.value('gateway_operation_duration_seconds_sum', hello)).toBeGreaterThan(0);
    for (const histogram of ['graphql_http_request_duration_seconds', 'gateway_subgraph_fetch_duration_seconds']) {
      expect(metrics.series(`${histogram}_bucket`).map((labels) => labels.le)).toContain('30');
    }
  });

  it('counts a request in flight until it is answered', async () => {
    const { arrived, release } = greetings.hold();
    const answer = platform.query('query Held { held }');
    await arrived;
    expect((await gatewayMetrics()).value('graphql_http_requests_in_flight')).toBe(1);
    release();
    expect((await answer).body.data).toEqual({ held: 'released' });
    expect((await gatewayMetrics()).value('graphql_http_requests_in_flight')).toBe(0);
  });

  it('labels only the first METRICS_MAX_OPERATION_NAMES names, and counts the others as "(other)"', async () => {
    // Earlier tests used Hello, Broken, (anonymous), SendCode and Held: the five names allowed.
    const before = await gatewayMetrics();
    await platform.query('query Newcomer { hello(name: "c") }');
    await platform.query('query Hello { hello(name: "c") }');
    const change = delta(before, await gatewayMetrics());
    expect(change('gateway_operations_total', { operation_name: '(other)' })).toBe(1);
    expect(change('gateway_operations_total', { operation_name: 'Hello' })).toBe(1);
    expect((await gatewayMetrics()).series('gateway_operations_total').some((labels) => labels.operation_name === 'Newcomer')).toBe(false);
  });

  it('reports the Node process, and every reload and rate-limit label from zero', async () => {
    const metrics = await gatewayMetrics();
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(metrics.series('nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect(
      metrics
        .series('gateway_supergraph_reloads_total')
        .map((labels) => labels.result)
        .sort(),
    ).toEqual(['failure', 'success', 'unchanged']);
    expect(metrics.series('gateway_rate_limit_rejections_total')).toHaveLength(6);
    expect(metrics.value('gateway_supergraph_last_load_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
  });

  it('is served by each subgraph on its own port, with the requests it answered', async () => {
    const subgraphMetrics = () => scrapeSubgraph(platform);
    const before = await subgraphMetrics();
    await platform.query('query Hello { hello(name: "d") }');
    // A call that is not the gateway's is refused, and counted as such.
    expect(
      (
        await fetch(platform.subgraphUrls.greetings!, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ hello(name: \\"x\\") }"}',
        })
      ).status,
    ).toBe(401);
    const after = await subgraphMetrics();
    const change = delta(before, after);
    expect(change('graphql_http_requests_total', { subgraph: 'greetings', status_code: '200' })).toBe(1);
    expect(change('graphql_http_requests_total', { subgraph: 'greetings', status_code: '401' })).toBe(1);
    expect(after.value('process_cpu_user_seconds_total', { subgraph: 'greetings' })).toBeGreaterThan(0);
    expect(after.text).not.toContain('gateway_');
  });

  it('are every one listed in gateway/metrics/README.md with its type and labels', async () => {
    const readme = readFileSync(new URL('../gateway/metrics/README.md', import.meta.url), 'utf8');
    const documented = new Map(
      [...readme.matchAll(/^\| `(\w+)` \| (counter|gauge|histogram) \|([^|]*)\|/gm)].map(([, name, type, labels]) => [
        name!,
        { type: type!, labels: [...labels!.matchAll(/`(\w+)`/g)].map(([, label]) => label!).sort() },
      ]),
    );
    const served = new Map<string, string>();
    for (const text of [(await gatewayMetrics()).text, (await scrapeSubgraph(platform)).text]) {
      for (const [, name, type] of text.matchAll(/^# TYPE (\w+) (\w+)$/gm)) served.set(name!, type!);
    }
    expect(new Map([...documented].map(([name, { type }]) => [name, type]))).toEqual(served);

    // The dashboard charts only metrics that exist, and what ops asked for.
    const dashboard = JSON.parse(readFileSync(new URL('../gateway/metrics/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const expressions = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    for (const [, name] of expressions.join('\n').matchAll(/\b((?:gateway|graphql|process|nodejs)_\w+?)(?:_bucket|_sum|_count)?\{/g))
      expect(documented.has(name!), name).toBe(true);
    const titles = dashboard.panels.map((panel) => panel.title);
    for (const title of ['Throughput', 'Error rate', 'Latency percentiles', 'Per-subgraph latency', 'Rate-limit rejections']) {
      expect(
        titles.some((candidate) => candidate.startsWith(title)),
        title,
      ).toBe(true);
    }

    const metrics = await gatewayMetrics();
    for (const [name, { type, labels }] of documented) {
      if (!name.startsWith('gateway_') && !name.startsWith('graphql_')) continue;
      const series = metrics.series(type === 'histogram' ? `${name}_count` : name);
      for (const seriesLabels of series) expect([name, Object.keys(seriesLabels).sort()]).toEqual([name, labels]);
    }
  });
});

describe('supergraph reload metrics', () => {
  it('count reloads by result, and tell when the supergraph now serving was loaded', async () => {
    const logs = captureLogs();
    const greetings = greetingsSubgraph(schemaDir);
    const platform = await startPlatform({ subgraphs: [greetings.definition], copySchemas: true, logger: logs.logger });
    try {
      const schemaFile = join(platform.dataDir, 'greetings.graphql');
      const metricsUrl = platform.metricsUrl;
      const before = await scrape(metricsUrl);

      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('broken: String', 'broken: String\n  extra: String'));
      await logs.waitFor('supergraph reloaded');
      const reloaded = await scrape(metricsUrl);
      expect(delta(before, reloaded)('gateway_supergraph_reloads_total', { result: 'success' })).toBe(1);
      expect(reloaded.value('gateway_supergraph_last_load_timestamp_seconds')).toBeGreaterThan(
        before.value('gateway_supergraph_last_load_timestamp_seconds'),
      );

      writeFileSync(schemaFile, 'type Query { broken: Missing }');
      await logs.waitFor('supergraph reload failed');
      const failed = await scrape(metricsUrl);
      expect(delta(reloaded, failed)('gateway_supergraph_reloads_total', { result: 'failure' })).toBe(1);
      expect(failed.value('gateway_supergraph_last_load_timestamp_seconds')).toBe(
        reloaded.value('gateway_supergraph_last_load_timestamp_seconds'),
      );
    } finally {
      await platform.stop();
    }
  });
});

describe('where /metrics is served', () => {
  it('by default on a server of its own and not beside /graphql; by a subgraph, not at all without a token', async () => {
    const platform = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition] });
    try {
      expect((await fetch(metricsUrlOf(platform.gatewayUrl))).status).toBe(404);
      expect((await fetch(metricsUrlOf(platform.subgraphUrls.greetings!))).status).toBe(404);
      expect(new URL(platform.metricsUrl).port).not.toBe(new URL(platform.gatewayUrl).port);
      await platform.query('query Hello { hello(name: "a") }');
      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_operations_total', { operation_name: 'Hello' })).toBe(1);
    } finally {
      await platform.stop();
    }
    // stop() closed the metrics server too.
    expect(platform.gateway.metricsApp!.server.listening).toBe(false);
  });

  it('beside /graphql when METRICS_PORT equals PORT, and then, as on a subgraph, only to a bearer of METRICS_TOKEN', async () => {
    const platform = await startPlatform({
      subgraphs: [greetingsSubgraph(schemaDir).definition],
      gatewayEnv: { PORT: '0', METRICS_PORT: '0', METRICS_TOKEN },
      subgraphEnv: { METRICS_TOKEN },
    });
    try {
      expect(platform.gateway.metricsApp).toBeUndefined();
      expect(platform.metricsUrl).toBe(metricsUrlOf(platform.gatewayUrl));
      for (const url of [platform.metricsUrl, metricsUrlOf(platform.subgraphUrls.greetings!)]) {
        expect((await fetch(url)).status).toBe(401);
        expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
        const answer = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(parsePrometheus(await answer.text()).series('graphql_http_requests_in_flight')).toHaveLength(1);
      }
    } finally {
      await platform.stop();
    }
  });

  it('a subgraph refuses to start with a METRICS_TOKEN too short to guard anything', async () => {
    await expect(
      startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], subgraphEnv: { METRICS_TOKEN: 'short' } }),
    ).rejects.toThrow(/^METRICS_TOKEN must be at least 16 characters/);
  });
});

describe('the functions the gateway modules report through', () => {
  it('count authentication failures and auth cache lookups, in a registry of each gateway of their own', async () => {
    const one = createGatewayMetrics();
    const other = createGatewayMetrics();
    one.authenticationFailed('expired');
    one.authenticationFailed('expired');
    one.authenticationFailed('revoked');
    one.authCacheLookup('api_key', true);
    one.authCacheLookup('api_key', false);
    one.authCacheLookup('api_key', true);
    const metrics = parsePrometheus(await one.registry.metrics());
    expect(metrics.value('gateway_auth_failures_total', { reason: 'expired' })).toBe(2);
    expect(metrics.value('gateway_auth_failures_total', { reason: 'revoked' })).toBe(1);
    expect(metrics.value('gateway_auth_cache_lookups_total', { cache: 'api_key', result: 'hit' })).toBe(2);
    expect(metrics.value('gateway_auth_cache_lookups_total', { cache: 'api_key', result: 'miss' })).toBe(1);
    expect(parsePrometheus(await other.registry.metrics()).value('gateway_auth_failures_total')).toBe(0);
  });

  it('bound the reasons a caller could multiply', async () => {
    const metrics = createGatewayMetrics();
    for (let i = 0; i < 25; i++) metrics.authenticationFailed(`reason-${i}`);
    const scraped = parsePrometheus(await metrics.registry.metrics());
    expect(scraped.series('gateway_auth_failures_total')).toHaveLength(21);
    expect(scraped.value('gateway_auth_failures_total', { reason: 'other' })).toBe(5);
  });
});
