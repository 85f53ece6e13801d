/**
 * Traces through the platform, exported to an OTLP receiver in the test: the caller's traceparent
 * continued by the gateway, passed to the subgraph, and a span for the request, the plan, each subgraph
 * call and the subgraph's resolvers, each service under its own name. Nothing is sent without an endpoint.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

interface ExportedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const schemaDir = mkdtempSync(join(tmpdir(), 'tracing-'));
const received: ExportedSpan[] = [];
const receiver = Fastify();
receiver.post('/v1/traces', async (request) => {
  const { resourceSpans } = request.body as { resourceSpans: any[] };
  for (const resource of resourceSpans) {
    const service = resource.resource.attributes.find((attribute: any) => attribute.key === 'service.name')?.value.stringValue;
    for (const scope of resource.scopeSpans) {
      for (const span of scope.spans) {
        const attributes = Object.fromEntries(span.attributes.map((attribute: any) => [attribute.key, Object.values(attribute.value)[0]]));
        received.push({
          service,
          name: span.name,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          attributes,
        });
      }
    }
  }
  return {};
});

let traced: Platform;
let untraced: Platform;

beforeAll(async () => {
  const endpoint = await receiver.listen({ host: '127.0.0.1', port: 0 });
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '20' };
  traced = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], gatewayEnv: otel, subgraphEnv: otel });
  untraced = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition] });
});
afterAll(async () => {
  await traced?.stop();
  await untraced?.stop();
  await receiver.close();
  rmSync(schemaDir, { recursive: true, force: true });
});

function traceparent() {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
}

describe('traces', () => {
  it('continue the caller’s trace through the gateway into the subgraph’s resolvers', async () => {
    const { traceId, parentId, header } = traceparent();
    const { body } = await traced.query('query Greet { hello(name: "trace") }', undefined, { traceparent: header });
    expect(body.data).toEqual({ hello: 'Hello, trace' });

    const spans = () => received.filter((span) => span.traceId === traceId);
    await expect
      .poll(
        () =>
          spans()
            .map((span) => span.name)
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual(['gateway.fetch', 'gateway.plan', 'gateway.request', 'resolve Query.hello', 'subgraph.request']);
    const byName = Object.fromEntries(spans().map((span) => [span.name, span]));
    expect(byName['gateway.request']).toMatchObject({
      service: 'gateway',
      parentSpanId: parentId,
      attributes: { 'graphql.operation.name': 'Greet' },
    });
    expect(byName['gateway.plan']!.parentSpanId).toBe(byName['gateway.request']!.spanId);
    expect(byName['gateway.fetch']).toMatchObject({
      service: 'gateway',
      parentSpanId: byName['gateway.request']!.spanId,
      attributes: { 'graphql.subgraph': 'greetings' },
    });
    expect(byName['subgraph.request']).toMatchObject({ service: 'greetings', parentSpanId: byName['gateway.fetch']!.spanId });
    expect(byName['resolve Query.hello']).toMatchObject({ service: 'greetings', parentSpanId: byName['subgraph.request']!.spanId });
  });

  it('start a new trace when the caller sends none', async () => {
    const before = received.length;
    await traced.query('query Fresh { hello(name: "new") }');
    await expect
      .poll(
        () =>
          received.slice(before).some((span) => span.name === 'gateway.request' && span.attributes['graphql.operation.name'] === 'Fresh'),
        { timeout: 10_000 },
      )
      .toBe(true);
    const request = received.slice(before).find((span) => span.attributes['graphql.operation.name'] === 'Fresh')!;
    expect(request.parentSpanId).toBeUndefined();
  });

  it('are not made without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const { traceId, header } = traceparent();
    await untraced.query('{ hello(name: "quiet") }', undefined, { traceparent: header });
    // The traced platform exports within tens of milliseconds; this one has nothing to export at all.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.filter((span) => span.traceId === traceId)).toEqual([]);
  });
});
