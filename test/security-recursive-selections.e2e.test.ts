/**
 * Fragments spreading each other: a 1.7 KB document that every other limit lets through expands to tens
 * of millions of selections. The gateway refuses it before any other work (MAX_RECURSIVE_SELECTIONS), and
 * every later step (limits, authorization, planning, execution), fed such documents with that limit out of
 * the way, answers in time polynomial in the document. Times are printed, not asserted (bench/ measures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../gateway/config.ts';
import { recursiveSelections } from '../gateway/pipeline/document-limits.ts';
import { findDenials } from '../gateway/pipeline/authorization/find-denials.ts';
import type { Requirement, SupergraphPolicy } from '../gateway/pipeline/authorization/supergraph-policy.ts';
import { ANONYMOUS } from '../core/identity.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';
import { securedSubgraph } from './helpers/secured-subgraph.ts';

/** `levels` fragments on `type`, each spreading the next `fanOut` times, the last selecting `leaf`. */
function fanOut(levels: number, times: number, leaf: string, { type = 'Query', root = '{ ...F0 }' } = {}): string {
  let document = `${root}\n`;
  for (let level = 0; level < levels - 1; level++) {
    document += `fragment F${level} on ${type} { ${Array(times)
      .fill(`...F${level + 1}`)
      .join(' ')} }\n`;
  }
  return `${document}fragment F${levels - 1} on ${type} { ${leaf} }\n`;
}

/** The document of the report: anonymous, five fragments, each spreading the next 64 times. */
const ATTACK = fanOut(5, 64, 'open');

async function timed<T>(what: string, run: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${what}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
}

describe('recursive selections', () => {
  it('are counted once per fragment, as Apollo counts them', () => {
    expect(ATTACK.length).toBeGreaterThan(1_300);
    expect(ATTACK.length).toBeLessThan(1_800);
    // F4: 1; F3: 64 x (spread + 1) = 128; F2: 64 x 129; F1: 64 x 8257; F0: 64 x 528449; the operation: 1 + F0.
    expect(recursiveSelections(parse(ATTACK))).toEqual([{ operation: undefined, selections: 1 + 64 * (1 + 64 * (1 + 64 * (1 + 64 * 2))) }]);
    expect(recursiveSelections(parse('query Q { a b { c ...F } } fragment F on B { d ... on B { e } }'))).toEqual([
      { operation: 'Q', selections: 7 },
    ]);
    // Stops at the cap, so that no document makes the count overflow.
    expect(recursiveSelections(parse(fanOut(40, 8, 'open')), 1_000)[0]!.selections).toBe(1_000);
  });

  it('have a default and a setting', () => {
    expect(parseGatewayConfig({}).operationLimits.maxRecursiveSelections).toBe(10_000);
    expect(parseGatewayConfig({ MAX_RECURSIVE_SELECTIONS: '50' }).operationLimits.maxRecursiveSelections).toBe(50);
    expect(() => parseGatewayConfig({ MAX_RECURSIVE_SELECTIONS: '0' })).toThrow(/MAX_RECURSIVE_SELECTIONS/);
  });
});

describe('the authorization walk', () => {
  const schema = buildSchema('type Query { open: String signed_in: String }');
  const SIGNED_IN: readonly Requirement[] = [{ kind: 'authenticated' }];

  it('checks each fragment once per type and project, however often it is spread', () => {
    let visits = 0;
    const policy: SupergraphPolicy = {
      ofField: (_type, field) => {
        // An exponential walk would make hundreds of millions of visits: stop it early, as a failure.
        if (++visits > 100_000) throw new Error('the walk visits fields once per spread');
        return field === 'signed_in' ? SIGNED_IN : [];
      },
      ofType: () => [],
    };
    const document = parse(fanOut(5, 64, 'open signed_in'));
    const operation = document.definitions[0]! as Parameters<typeof findDenials>[0]['operation'];
    const denials = findDenials({ schema, policy, principal: ANONYMOUS, document, operation, variables: {} });
    expect(denials).toEqual([
      { message: expect.stringMatching(/Authentication required/), path: ['signed_in'], extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(visits).toBeLessThanOrEqual(2);
  });
});

describe('documents that expand exponentially, through the gateway', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  const secured = securedSubgraph(schemaDir);
  let limited: Platform;
  /** Every later step meets the document: the recursive selections limit out of the way. */
  let unlimited: Platform;

  beforeAll(async () => {
    limited = await startPlatform({ subgraphs: [secured.definition] });
    unlimited = await startPlatform({
      subgraphs: [securedSubgraph(schemaDir).definition],
      gatewayEnv: { MAX_RECURSIVE_SELECTIONS: String(Number.MAX_SAFE_INTEGER) },
    });
  });
  afterAll(async () => {
    await limited?.stop();
    await unlimited?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  it('refuses the attack before any other work, and /health keeps answering', async () => {
    const before = secured.calls();
    const health = new URL('/health', limited.gatewayUrl).href;
    const [attacks, healthChecks] = await timed('5 attacks and 5 health checks, at once', () =>
      Promise.all([
        Promise.all(Array.from({ length: 5 }, () => limited.query(ATTACK))),
        Promise.all(Array.from({ length: 5 }, async () => (await fetch(health)).json())),
      ]),
    );
    for (const { status, body } of attacks) {
      expect(status).toBe(400);
      expect(body.errors).toEqual([
        {
          message:
            'Recursive selections limit of 10000 exceeded: The anonymous operation selects more than 10000 fields and fragments once its fragments are inlined.',
          extensions: { code: 'MAX_RECURSIVE_SELECTIONS_EXCEEDED' },
        },
      ]);
    }
    expect(healthChecks).toEqual(Array(5).fill({ status: 'ok' }));
    expect(secured.calls()).toBe(before);
    // Within the limit, fragments spread many times are served.
    expect((await limited.query(fanOut(3, 50, 'open'))).body).toEqual({ data: { open: 'open' } });
  });

  it('the operation limits, the authorization walk, planning and execution each stay polynomial', async () => {
    // Operation limits (depth, aliases, root fields), over a fan-out under a nested field.
    const deep = fanOut(5, 64, 'name', { type: 'Tree', root: '{ tree { ...F0 } }' });
    const tooDeep = fanOut(5, 64, `${'child { '.repeat(12)}name${' }'.repeat(12)}`, { type: 'Tree', root: '{ tree { ...F0 } }' });
    const refusedDeep = await timed('depth limit, 5 x 64 fragments under a field', () => unlimited.query(tooDeep));
    expect(refusedDeep.body.errors?.[0]?.message).toMatch(/depth limit of 12 exceeded/);

    // Authorization: the walk meets a denied field at the end of every chain of spreads.
    const denied = await timed('authorization, 5 x 64 fragments', () => unlimited.query(fanOut(5, 64, 'open signed_in')));
    expect(denied.body).toEqual({
      data: null,
      errors: [expect.objectContaining({ path: ['signed_in'], extensions: { code: 'UNAUTHENTICATED' } })],
    });

    // Planning and execution: public fields, at the root, under a nested field and through an interface.
    const atRoot = await timed('planning and execution, 5 x 64 fragments at the root', () => unlimited.query(ATTACK));
    expect(atRoot.body).toEqual({ data: { open: 'open' } });
    const nested = await timed('planning and execution, 5 x 64 fragments under a field', () => unlimited.query(deep));
    expect(nested.body).toEqual({ data: { tree: { name: 'node' } } });
    const abstract = fanOut(4, 64, 'id ... on Plain { code }', { type: 'Node', root: '{ node { ...F0 } }' });
    const throughInterface = await timed('planning and execution, 4 x 64 fragments on an interface', () => unlimited.query(abstract));
    expect(throughInterface.body).toEqual({ data: { node: { id: 's1' } } });
  });
});
