/**
 * The explorer in a real browser: GraphiQL from the gateway's own files, no request leaving the machine,
 * a query run from its editor; and the settings around it (INTROSPECTION, CORS_ORIGINS).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from './helpers/browser.ts';
import { greetingsSubgraph } from './helpers/greetings-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

const schemaDir = mkdtempSync(join(tmpdir(), 'explorer-schema-'));
afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

describe('the explorer', () => {
  let platform: Platform;
  let browser: TestBrowser;

  beforeAll(async () => {
    platform = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition] });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('loads from the gateway alone, shows the schema and the headers editor, and runs a query', async () => {
    const origin = new URL(platform.gatewayUrl).origin;
    const { page, requests } = browser;
    await page.goto(`${origin}/`);
    expect(page.url()).toBe(platform.gatewayUrl);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 20_000 });

    // The headers editor is open, and the query editor says what to write there.
    expect(await page.isVisible('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')).toBe(true);
    expect(await page.textContent('.graphiql-editor-tools button.active')).toBe('Headers');
    expect(
      await page.evaluate(() => (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.getValue()),
    ).toContain('{ "Authorization": "Bearer <API key or token>" }');

    // The docs know the schema, read by introspection.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.click('.graphiql-doc-explorer-content a:has-text("Query")');
    await page.waitForSelector('.graphiql-doc-explorer-content :text("hello")');

    await page.evaluate(() =>
      (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue('{ hello(name: "browser") }'),
    );
    await page.click('.graphiql-execute-button');
    await expect.poll(() => page.textContent('.result-window'), { timeout: 10_000 }).toContain('"hello"');

    const elsewhere = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'));
    expect(elsewhere).toEqual([]);
    expect(requests).toContain(`${origin}/explorer/graphiql.js`);
  });

  it('is served with a Content-Security-Policy that runs only the gateway’s scripts', async () => {
    const response = await fetch(platform.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(await response.text()).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  });
});

describe('with introspection off', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition], gatewayEnv: { INTROSPECTION: 'false' } });
  });
  afterAll(async () => platform?.stop());

  it('shows no explorer and refuses __schema with words for the client', async () => {
    const page = await fetch(platform.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<html');
    const explorerFile = await fetch(`${new URL(platform.gatewayUrl).origin}/explorer/graphiql.js`);
    expect(explorerFile.status).toBe(404);

    const { status, body } = await platform.query('{ __schema { queryType { name } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toBe(
      'Introspection is not allowed on this endpoint, so __schema cannot be queried; ask its operators for the schema',
    );
    expect((await platform.query('{ hello(name: "x") }')).body.data).toEqual({ hello: 'Hello, x' });
  });
});

describe('CORS', () => {
  let open: Platform;
  let closed: Platform;

  beforeAll(async () => {
    open = await startPlatform({
      subgraphs: [greetingsSubgraph(schemaDir).definition],
      gatewayEnv: { CORS_ORIGINS: 'https://app.example.com' },
    });
    closed = await startPlatform({ subgraphs: [greetingsSubgraph(schemaDir).definition] });
  });
  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
  });

  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('answers the preflight of an allowed origin, and no other', async () => {
    const allowed = await preflight(open.gatewayUrl, 'https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');

    const other = await preflight(open.gatewayUrl, 'https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin by default', async () => {
    const response = await preflight(closed.gatewayUrl, 'https://app.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
