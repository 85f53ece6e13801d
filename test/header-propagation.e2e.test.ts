/**
 * HEADER_PROPAGATION through the gateway, seen at fixture subgraphs over HTTP: client headers reach only the
 * subgraphs they are configured for, none by default; subgraphs' Cache-Control reaches the client merged to
 * the most restrictive only when configured.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTrafficPlatform, type TrafficPlatform } from './helpers/traffic-platform.ts';

let platform: TrafficPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  platform = undefined;
});

const CLIENT_HEADERS = {
  'x-tenant': 'acme',
  'x-secret': 'not for subgraphs',
  authorization: 'Bearer client-token',
  'accept-language': 'fr',
};
const BOTH = '{ alpha(id: "1") beta(id: "1") }';

describe('header propagation', () => {
  it('copies no client header to subgraphs by default', async () => {
    platform = await startTrafficPlatform(['alpha']);
    await platform.query('{ alpha(id: "1") }', { headers: CLIENT_HEADERS });
    const { headers } = platform.subgraphs.alpha!.calls[0]!;
    for (const name of Object.keys(CLIENT_HEADERS)) expect(headers[name]).toBeUndefined();
  });

  it('copies the headers listed for all subgraphs to all, those listed for one to it only', async () => {
    platform = await startTrafficPlatform(['alpha', 'beta'], {
      HEADER_PROPAGATION: JSON.stringify({ all: ['x-tenant', 'Accept-Language'], subgraphs: { alpha: ['authorization'] } }),
    });
    const { body } = await platform.query(BOTH, { headers: CLIENT_HEADERS });
    expect(body).toEqual({ data: { alpha: 'alpha 1 for anonymous', beta: 'beta 1 for anonymous' } });
    const alpha = platform.subgraphs.alpha!.calls[0]!.headers;
    const beta = platform.subgraphs.beta!.calls[0]!.headers;
    expect(alpha).toMatchObject({ 'x-tenant': 'acme', 'accept-language': 'fr', authorization: 'Bearer client-token' });
    expect(beta).toMatchObject({ 'x-tenant': 'acme', 'accept-language': 'fr' });
    expect(beta.authorization).toBeUndefined();
    expect(alpha['x-secret']).toBeUndefined();
    expect(beta['x-secret']).toBeUndefined();
    // The gateway's own identity headers are still its own.
    expect(platform.subgraphs.alpha!.calls[0]!.principal).toEqual({ kind: 'anonymous' });
  });

  it('shares an in-flight call only between fetches with the same propagated headers', async () => {
    platform = await startTrafficPlatform(['alpha'], { HEADER_PROPAGATION: JSON.stringify({ all: ['x-tenant'] }) });
    const alpha = platform.subgraphs.alpha!;
    alpha.otherwise = 'hold';
    const acme = platform.query('{ alpha(id: "1") }', { headers: { 'x-tenant': 'acme' } });
    const other = platform.query('{ alpha(id: "1") }', { headers: { 'x-tenant': 'other' } });
    await expect.poll(() => alpha.calls.length, { timeout: 10_000 }).toBe(2);
    alpha.release();
    await Promise.all([acme, other]);
    expect(alpha.calls.map((call) => call.headers['x-tenant']).sort()).toEqual(['acme', 'other']);
  });

  it('answers no-store by default, whatever the subgraphs say', async () => {
    platform = await startTrafficPlatform(['alpha', 'beta']);
    platform.subgraphs.alpha!.otherwise = { headers: { 'cache-control': 'max-age=60, public' } };
    platform.subgraphs.beta!.otherwise = { headers: { 'cache-control': 'max-age=60, public' } };
    expect((await platform.query(BOTH)).headers.get('cache-control')).toBe('no-store');
  });

  it("merges the subgraphs' Cache-Control to the most restrictive with cacheControl", async () => {
    platform = await startTrafficPlatform(['alpha', 'beta'], { HEADER_PROPAGATION: JSON.stringify({ cacheControl: true }) });
    const alpha = platform.subgraphs.alpha!;
    const beta = platform.subgraphs.beta!;
    const merged = async (alphaSays: string | undefined, betaSays: string | undefined) => {
      alpha.script({ headers: alphaSays ? { 'cache-control': alphaSays } : {} });
      beta.script({ headers: betaSays ? { 'cache-control': betaSays } : {} });
      return (await platform!.query(BOTH)).headers.get('cache-control');
    };
    expect(await merged('max-age=60, public', 'max-age=30, public')).toBe('max-age=30, public');
    expect(await merged('max-age=60, public', 'max-age=120, private')).toBe('max-age=60, private');
    expect(await merged('max-age=60, private', 'no-store')).toBe('no-store');
    expect(await merged('max-age=60', 'no-cache, max-age=60')).toBe('no-store');
    expect(await merged('max-age=60', undefined)).toBe('no-store');
  });
});
