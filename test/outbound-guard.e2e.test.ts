import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundGuard, OutboundRefused, refusedRange, type OutboundGuardOptions } from '../subgraphs/kit/outbound/index.ts';

let server: Server;
let port: number;
let endlessClosed = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/big') return response.end(Buffer.alloc(64 * 1024, 1));
    if (request.url === '/stream-big') {
      // No Content-Length: the limit must hold while reading.
      response.write(Buffer.alloc(40 * 1024));
      response.write(Buffer.alloc(40 * 1024));
      return response.end();
    }
    if (request.url?.startsWith('/redirect-to/')) {
      response.writeHead(302, { location: decodeURIComponent(request.url.slice('/redirect-to/'.length)) });
      return response.end();
    }
    if (request.url === '/loop') {
      response.writeHead(302, { location: '/loop' });
      return response.end();
    }
    if (request.url === '/endless') {
      endlessClosed = false;
      const timer = setInterval(() => response.write(Buffer.alloc(16 * 1024)), 5);
      response.once('close', () => {
        clearInterval(timer);
        endlessClosed = true;
      });
      return;
    }
    if (request.url === '/slow') return setTimeout(() => response.end('late'), 2_000);
    response.setHeader('content-type', 'text/plain');
    response.end(`hello ${request.method}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A resolver that maps test names to addresses, as a hostile DNS server would. */
function resolverFor(names: Record<string, string>): OutboundGuardOptions['resolve'] {
  return (hostname, _options, callback) => {
    const address = names[hostname];
    if (!address) return callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

async function refusal(promise: Promise<unknown>): Promise<OutboundRefused> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundRefused);
  return error as OutboundRefused;
}

describe('address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['192.168.0.1', 'private'],
    ['172.16.5.5', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::7f00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '2001:4860:4860::8888'])('lets public %s through', (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });
});

describe('createOutboundGuard', () => {
  it('refuses loopback, metadata and mapped literals before connecting', async () => {
    const guard = createOutboundGuard();
    for (const url of [
      `http://127.0.0.1:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      'http://2130706433/',
    ]) {
      expect((await refusal(guard.fetch(url))).reason).toBe('address');
    }
    await guard.close();
  });

  it('refuses a name that resolves to 127.0.0.1 at connect time (DNS rebinding)', async () => {
    const guard = createOutboundGuard({ resolve: resolverFor({ 'rebind.example': '127.0.0.1' }) });
    const refused = await refusal(guard.fetch(`http://rebind.example:${port}/`));
    expect(refused.reason).toBe('address');
    expect(refused.message).toContain('127.0.0.1');
    await guard.close();
  });

  it('refuses localhost through the real resolver', async () => {
    const guard = createOutboundGuard();
    expect((await refusal(guard.fetch(`http://localhost:${port}/`))).reason).toBe('address');
    await guard.close();
  });

  it('fetches a private host that the allow list names, by name or by address', async () => {
    const byName = createOutboundGuard({ allowedHosts: 'files.internal', resolve: resolverFor({ 'files.internal': '127.0.0.1' }) });
    const answer = await byName.fetch(`http://files.internal:${port}/`, { method: 'POST', body: 'x' });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('hello POST');
    expect(answer.headers['content-type']).toBe('text/plain');
    await byName.close();

    const byAddress = createOutboundGuard({ allowedHosts: ['127.0.0.1'] });
    expect((await byAddress.fetch(`http://127.0.0.1:${port}/`)).body.toString()).toBe('hello GET');
    await byAddress.close();
  });

  it('checks every redirect again and bounds them', async () => {
    const guard = createOutboundGuard({
      allowedHosts: 'files.internal',
      resolve: resolverFor({ 'files.internal': '127.0.0.1', 'other.internal': '127.0.0.1' }),
    });
    const followed = await guard.fetch(`http://files.internal:${port}/redirect-to/${encodeURIComponent('/final')}`);
    expect(followed.body.toString()).toBe('hello GET');
    expect(followed.url).toBe(`http://files.internal:${port}/final`);

    const elsewhere = encodeURIComponent(`http://other.internal:${port}/`);
    expect((await refusal(guard.fetch(`http://files.internal:${port}/redirect-to/${elsewhere}`))).reason).toBe('address');
    expect(
      (await refusal(guard.fetch(`http://files.internal:${port}/redirect-to/${encodeURIComponent('file:///etc/passwd')}`))).reason,
    ).toBe('protocol');
    expect((await refusal(guard.fetch(`http://files.internal:${port}/loop`))).reason).toBe('redirects');
    await guard.close();
  });

  it('enforces the size limit from Content-Length and while reading', async () => {
    const guard = createOutboundGuard({ allowedHosts: '127.0.0.1' });
    expect((await refusal(guard.fetch(`http://127.0.0.1:${port}/big`, { maxBytes: 1024 }))).reason).toBe('too-large');
    expect((await refusal(guard.fetch(`http://127.0.0.1:${port}/stream-big`, { maxBytes: 50 * 1024 }))).reason).toBe('too-large');
    expect((await guard.fetch(`http://127.0.0.1:${port}/stream-big`, { maxBytes: 80 * 1024 })).body.length).toBe(80 * 1024);
    await guard.close();
  });

  it('lets go of the connection when it stops reading at the limit', async () => {
    const guard = createOutboundGuard({ allowedHosts: '127.0.0.1' });
    expect((await refusal(guard.fetch(`http://127.0.0.1:${port}/endless`, { maxBytes: 100 * 1024 }))).reason).toBe('too-large');
    await expect.poll(() => endlessClosed, { timeout: 2000 }).toBe(true);
    await guard.close();
  });

  it('refuses other schemes, credentials in URLs, and answers that take too long', async () => {
    const guard = createOutboundGuard({ allowedHosts: '127.0.0.1' });
    expect((await refusal(guard.fetch('file:///etc/passwd'))).reason).toBe('protocol');
    expect((await refusal(guard.fetch('gopher://example.com/'))).reason).toBe('protocol');
    expect((await refusal(guard.fetch(`http://user:secret@127.0.0.1:${port}/`))).reason).toBe('invalid-url');
    expect((await refusal(guard.fetch('not a url'))).reason).toBe('invalid-url');
    expect((await refusal(guard.fetch(`http://127.0.0.1:${port}/slow`, { timeoutMs: 200 }))).reason).toBe('timeout');
    await guard.close();
  });
});
