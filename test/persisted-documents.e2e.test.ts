/**
 * Persisted documents through the gateway: the manifest's documents run by hash or `documentId`; in
 * "require" mode free text and unknown ids are refused, and the manifest is hot-reloaded; in "log unknown"
 * mode free text runs, logged and counted; automatic persisted queries register a document under its
 * verified hash, then run it by hash, with its login attempts counted as if it had been sent in full.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentHash } from '../gateway/pipeline/persisted-manifest.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { captureLogs } from './helpers/logs.ts';
import { startPlatform, type GraphQLResponse, type Platform } from './helpers/platform.ts';
import { scrape } from './helpers/prometheus.ts';

const dir = mkdtempSync(join(tmpdir(), 'persisted-documents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HELLO = 'query Hello { hello(name: "manifest") }';
const GOODBYE = 'query Goodbye { hello(name: "reloaded") }';

function writeManifest(path: string, bodies: string[]): void {
  const operations = bodies.map((body) => ({ id: documentHash(body), name: /query (\w+)/.exec(body)![1], type: 'query', body }));
  writeFileSync(path, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
}

async function post(platform: Platform, body: object): Promise<GraphQLResponse> {
  const response = await fetch(platform.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

const byHash = (text: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(text) } } });

async function withGreetings(
  env: Record<string, string>,
  test: (platform: Platform, calls: { count: number }, logs: ReturnType<typeof captureLogs>) => Promise<void>,
) {
  const greetings = greetingsSubgraph(dir);
  const logs = captureLogs();
  const platform = await startPlatform({ subgraphs: [greetings.definition], gatewayEnv: env, logger: logs.logger });
  try {
    await test(platform, greetings.calls, logs);
  } finally {
    await platform.stop();
  }
}

describe('persisted documents required', () => {
  const manifest = join(dir, 'required.json');
  writeManifest(manifest, [HELLO]);

  it("runs the manifest's documents by hash or documentId, refuses free text and unknown ids, and picks up a new manifest", () =>
    withGreetings({ PERSISTED_DOCUMENTS: manifest, PERSISTED_DOCUMENTS_REQUIRED: 'true' }, async (platform, calls, logs) => {
      expect((await post(platform, byHash(HELLO))).body).toEqual({ data: { hello: 'Hello, manifest' } });
      expect((await post(platform, { documentId: `sha256:${documentHash(HELLO)}` })).body).toEqual({ data: { hello: 'Hello, manifest' } });

      const freeText = await post(platform, { query: '{ hello(name: "free") }' });
      expect(freeText.status).toBe(400);
      expect(freeText.body.errors).toEqual([
        {
          message:
            'This gateway runs only the documents of its persisted-documents manifest: send the id of one as `extensions.persistedQuery.sha256Hash` or `documentId`.',
          extensions: { code: 'PERSISTED_DOCUMENT_REQUIRED' },
        },
      ]);
      // The manifest's own text sent as free text is free text too: clients send ids.
      expect((await post(platform, { query: HELLO })).status).toBe(400);

      const unknown = await post(platform, byHash(GOODBYE));
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        {
          message: `No document of the persisted-documents manifest has the id "${documentHash(GOODBYE)}".`,
          extensions: { code: 'PERSISTED_DOCUMENT_NOT_FOUND' },
        },
      ]);
      // Nor can a client register a document of its own (APQ) while the manifest is required.
      expect((await post(platform, { query: GOODBYE, ...byHash(GOODBYE) })).body.errors?.[0]?.extensions?.code).toBe(
        'PERSISTED_DOCUMENT_NOT_FOUND',
      );
      expect(calls.count).toBe(2);

      // A broken manifest is logged and the last good one kept; a good one is picked up.
      writeFileSync(manifest, '{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": 1}]}');
      await logs.waitFor('persisted documents reload failed');
      expect((await post(platform, byHash(HELLO))).body).toEqual({ data: { hello: 'Hello, manifest' } });
      writeManifest(manifest, [HELLO, GOODBYE]);
      await logs.waitFor('persisted documents reloaded');
      expect((await post(platform, byHash(GOODBYE))).body).toEqual({ data: { hello: 'Hello, reloaded' } });

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'hit' })).toBe(4);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'unknown_id' })).toBe(2);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'free_text_refused' })).toBe(2);
      expect(metrics.value('gateway_persisted_documents_reloads_total', { result: 'failure' })).toBeGreaterThanOrEqual(1);
    }));
});

describe('persisted documents, unknown ones logged', () => {
  const manifest = join(dir, 'log.json');
  writeManifest(manifest, [HELLO]);

  it('runs free text, logging and counting the documents the manifest does not have', () =>
    withGreetings({ PERSISTED_DOCUMENTS: manifest }, async (platform, calls, logs) => {
      expect((await post(platform, { query: HELLO })).body).toEqual({ data: { hello: 'Hello, manifest' } });
      const unknown = '{ hello(name: "unlisted") }';
      expect((await post(platform, { query: unknown })).body).toEqual({ data: { hello: 'Hello, unlisted' } });
      expect(calls.count).toBe(2);

      await logs.waitFor('operation not in the persisted-documents manifest');
      const logged = logs.messages.filter((line) => line.msg === 'operation not in the persisted-documents manifest');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ documentHash: documentHash(unknown) });
      expect(JSON.stringify(logged[0])).not.toContain('unlisted');

      // An id nobody knows: APQ's answer, which tells the client to send the text.
      const notFound = await post(platform, byHash(GOODBYE));
      expect(notFound.status).toBe(200);
      expect(notFound.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'free_text_unknown' })).toBe(1);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'unknown_id' })).toBe(1);
    }));
});

describe('automatic persisted queries', () => {
  it('registers a document under its verified hash, then runs it by hash over POST and GET', () =>
    withGreetings({}, async (platform, calls) => {
      const query = '{ hello(name: "apq") }';
      const first = await post(platform, byHash(query));
      expect(first.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

      // A text under a hash that is not its own is refused: no one can make a hash run another document.
      const forged = await post(platform, { query: '{ hello(name: "forged") }', ...byHash(query) });
      expect(forged.status).toBe(400);
      expect(forged.body.errors).toEqual([
        { message: 'The SHA-256 of `query` is not the hash it was sent with.', extensions: { code: 'BAD_REQUEST' } },
      ]);
      expect(calls.count).toBe(0);

      expect((await post(platform, { query, ...byHash(query) })).body).toEqual({ data: { hello: 'Hello, apq' } });
      expect((await post(platform, byHash(query))).body).toEqual({ data: { hello: 'Hello, apq' } });
      const search = new URLSearchParams({ extensions: JSON.stringify(byHash(query).extensions) });
      const get = await fetch(`${platform.gatewayUrl}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(await get.json()).toEqual({ data: { hello: 'Hello, apq' } });
      expect(calls.count).toBe(3);

      const metrics = await scrape(platform.metricsUrl);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'registered' })).toBe(1);
      expect(metrics.value('gateway_persisted_documents_total', { outcome: 'apq_hit' })).toBe(2);
    }));

  it('counts the login attempts of a document sent by hash against the login rate limit', () =>
    withGreetings({ LOGIN_RATE_LIMIT: '1' }, async (platform, calls) => {
      const login = 'mutation { send_email_otp(email: "a@example.com") }';
      expect((await post(platform, { query: login, ...byHash(login) })).body).toEqual({ data: { send_email_otp: true } });
      const again = await post(platform, byHash(login));
      expect(again.status).toBe(429);
      expect(again.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(calls.count).toBe(1);
    }));
});
