/**
 * The attack of the hardening issue, replayed: identity headers captured on their way from the gateway to a
 * subgraph (here a recording subgraph), then sent straight to the subgraphs with other bodies, to another
 * subgraph, on another path, or again for a mutation. Each is refused with 401 and changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphDefinition } from '../subgraphs/kit/build-subgraph.ts';
import { ADMIN_KEY, startSecurityPlatform, type SecurityPlatform } from './helpers/security-platform.ts';

interface Captured {
  headers: Record<string, string>;
  body: string;
}

const SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated"])
type Query { notes: [String!]! @authenticated }
type Mutation { note(text: String!): Boolean! @authenticated }`;

/** A subgraph `recorder` that keeps what the gateway sent it, identity headers and body, for the test to replay. */
function recorder(schemaDir: string): { definition: SubgraphDefinition<unknown>; captured: Captured[]; notes: string[] } {
  const schemaFile = join(schemaDir, 'recorder.graphql');
  writeFileSync(schemaFile, SDL);
  const captured: Captured[] = [];
  const notes: string[] = [];
  const definition: SubgraphDefinition<unknown> = {
    name: 'recorder',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Query: { notes: () => notes },
        Mutation: { note: (_parent: unknown, { text }: { text: string }) => notes.push(text) > 0 },
      },
      routes(app) {
        app.addHook('preHandler', async (request) => {
          if (request.url !== '/graphql' || !request.rawBody?.includes('note')) return;
          const headers = Object.fromEntries(
            Object.entries(request.headers).filter(([name]) => name.startsWith('x-fed-') || name === 'x-request-id'),
          ) as Record<string, string>;
          captured.push({ headers, body: request.rawBody });
        });
      },
    }),
  };
  return { definition, captured, notes };
}

describe('identity headers captured between the gateway and a subgraph', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'replay-'));
  const recording = recorder(schemaDir);
  let platform: SecurityPlatform;
  let read: Captured;
  let write: Captured;

  beforeAll(async () => {
    platform = await startSecurityPlatform({ extraSubgraphs: [recording.definition] });
    await platform.ok(ADMIN_KEY, '{ notes }');
    read = recording.captured.at(-1)!;
    await platform.ok(ADMIN_KEY, 'mutation { note(text: "once") }');
    write = recording.captured.at(-1)!;
    expect(recording.notes).toEqual(['once']);
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  const send = async (url: string, { headers }: Captured, body: string) =>
    (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;

  it('are refused for a mutation sent again, and it does not run twice', async () => {
    expect(await send(platform.subgraphUrls.recorder!, write, write.body)).toBe(401);
    expect(recording.notes).toEqual(['once']);
  });

  it('are refused with another body at the same subgraph', async () => {
    expect(await send(platform.subgraphUrls.recorder!, read, JSON.stringify({ query: 'mutation { note(text: "forged") }' }))).toBe(401);
    expect(recording.notes).toEqual(['once']);
  });

  it('are refused by another subgraph: the ADMIN key they vouch for mints nothing at accounts', async () => {
    const mint = JSON.stringify({ query: `mutation { create_api_key(project_id: "${platform.projectId}", name: "stolen", role: ADMIN) }` });
    expect(await send(platform.subgraphUrls.accounts!, read, mint)).toBe(401);
    expect(await send(platform.subgraphUrls.accounts!, read, read.body)).toBe(401);
    const keys = await platform.ok(ADMIN_KEY, 'query ($p: String!) { list_api_keys(project_id: $p) { name } }', { p: platform.projectId });
    expect(keys.list_api_keys.map((key: { name: string }) => key.name)).not.toContain('stolen');
  });

  it('are refused on another path: no key is resolved at /internal/authenticate/api-key', async () => {
    const accounts = new URL(platform.subgraphUrls.accounts!).origin;
    expect(await send(`${accounts}/internal/authenticate/api-key`, read, JSON.stringify({ key: ADMIN_KEY }))).toBe(401);
  });
});
