/**
 * The one way a service fetches a URL a user gave (webhooks, file inputs, imports, CDN origins). Only
 * http and https; the address is checked when the socket connects, after DNS, so a name that resolves
 * (or re-resolves, DNS rebinding) to a private address is refused as the address itself would be;
 * redirects are followed only for GET and HEAD, a bounded number of times, each hop checked again;
 * the size limit is enforced while the body is read, not only from Content-Length.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { isAddressAllowed, normalizeHost, parseAllowList, refusedRange, type AllowList } from './address-policy.ts';

export type OutboundRefusalReason = 'invalid-url' | 'protocol' | 'address' | 'too-large' | 'redirects' | 'timeout';

/** A URL the guard would not fetch, or a response it stopped reading; `reason` says which rule. */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  constructor(
    readonly reason: OutboundRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface OutboundGuardOptions {
  /** Host names or addresses that may be reached although private (OUTBOUND_ALLOWED_HOSTS, comma-separated). Default none. */
  allowedHosts?: Iterable<string> | string;
  /** Default limit on a response body in bytes when a call gives none. Default 100 MiB. */
  maxBytes?: number;
  /** Default time for a whole call, body included, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Redirects followed at most (GET and HEAD only). Default 3. */
  maxRedirects?: number;
  /** DNS resolution; default `dns.lookup`. Tests pass their own to play a rebinding resolver. */
  resolve?: Resolve;
}

export interface OutboundRequest {
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Overrides the guard's default limit for this call. */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface OutboundResponse<Body> {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Body;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface OutboundGuard {
  /** The whole body in memory: for small answers (webhook replies, JSON). */
  fetch(url: string, init?: OutboundRequest): Promise<OutboundResponse<Buffer>>;
  /** The body as a stream that errors with OutboundRefused past the limit or the time: for files. */
  stream(url: string, init?: OutboundRequest): Promise<OutboundResponse<Readable>>;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createOutboundGuard(options: OutboundGuardOptions = {}): OutboundGuard {
  const allowList = parseAllowList(options.allowedHosts);
  const defaults = { maxBytes: options.maxBytes ?? 100 * 1024 * 1024, timeoutMs: options.timeoutMs ?? 30_000 };
  const maxRedirects = options.maxRedirects ?? 3;
  const agent = new Agent({ connect: { lookup: guardedLookup(options.resolve ?? (dnsLookup as Resolve), allowList) } });

  async function stream(url: string, init: OutboundRequest = {}): Promise<OutboundResponse<Readable>> {
    const method = (init.method ?? 'GET').toUpperCase();
    const maxBytes = init.maxBytes ?? defaults.maxBytes;
    const timeoutMs = init.timeoutMs ?? defaults.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new OutboundRefused('timeout', `no complete answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      let target = checkUrl(url, allowList);
      for (let hop = 0; ; hop += 1) {
        const response = await request(target, {
          dispatcher: agent,
          method,
          headers: init.headers,
          body: init.body,
          signal: controller.signal,
        });
        const location = response.headers.location;
        if (REDIRECTS.has(response.statusCode) && typeof location === 'string' && (method === 'GET' || method === 'HEAD')) {
          await discard(response.body);
          if (hop >= maxRedirects) throw new OutboundRefused('redirects', `more than ${maxRedirects} redirects`);
          target = checkUrl(new URL(location, target).href, allowList);
          continue;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await discard(response.body);
          throw new OutboundRefused('too-large', `the answer is ${declared} bytes, more than ${maxBytes}`);
        }
        const body = response.body.pipe(limitBytes(maxBytes));
        response.body.on('error', (error) => body.destroy(refusalOf(error, controller.signal) as Error));
        // The limit or the caller may end the body early: the connection behind it is released then too.
        body.once('close', () => {
          clearTimeout(timer);
          response.body.destroy();
        });
        return { status: response.statusCode, headers: flatHeaders(response.headers), body, url: target.href };
      }
    } catch (error) {
      clearTimeout(timer);
      throw refusalOf(error, controller.signal);
    }
  }

  return {
    stream,
    async fetch(url, init) {
      const response = await stream(url, init);
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      return { ...response, body: Buffer.concat(chunks) };
    },
    close: () => agent.close(),
  };
}

function checkUrl(url: string, allowList: AllowList): URL {
  if (!URL.canParse(url)) throw new OutboundRefused('invalid-url', 'not a URL');
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new OutboundRefused('protocol', `only http and https URLs may be fetched, not ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new OutboundRefused('invalid-url', 'URLs with credentials are not fetched');
  // Node connects to an IP literal without a lookup, so literals are checked here.
  const host = normalizeHost(parsed.hostname);
  if (isIP(host) && !isAddressAllowed(host, allowList)) throw new OutboundRefused('address', `${host} is a ${refusedRange(host)} address`);
  return parsed;
}

/** Resolves every address of the name and refuses them all if any one is refused, unless the name is allow-listed. */
function guardedLookup(resolve: Resolve, allowList: AllowList): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (...args: any[]) => void) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const nameAllowed = allowList.has(normalizeHost(hostname));
      const refused = nameAllowed ? undefined : addresses.find(({ address }) => !isAddressAllowed(address, allowList));
      if (refused)
        return callback(
          new OutboundRefused('address', `${hostname} resolves to ${refused.address}, a ${refusedRange(refused.address)} address`),
        );
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }));
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Drops a body that will not be read; undici would report a plain destroy as an uncaught abort. */
async function discard(body: { dump(options?: { limit: number }): Promise<void> }): Promise<void> {
  await body.dump({ limit: 0 }).catch(() => undefined);
}

function limitBytes(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) return done(new OutboundRefused('too-large', `the answer is more than ${maxBytes} bytes`));
      done(null, chunk);
    },
  });
}

/** undici wraps connect errors and aborts; the guard's own refusal is what callers test for. */
function refusalOf(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted && signal.reason instanceof OutboundRefused) return signal.reason;
  for (let current = error; current instanceof Error; current = current.cause) if (current instanceof OutboundRefused) return current;
  return error;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
