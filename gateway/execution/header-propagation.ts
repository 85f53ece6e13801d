/**
 * Which client headers go on to which subgraphs, and whether subgraphs' Cache-Control reaches the client:
 * HEADER_PROPAGATION, a JSON object in the spirit of Apollo Router's `headers` and Hive Gateway's
 * `propagateHeaders`, kept to named headers (no patterns, so nothing is copied that was not written down):
 *
 *   {"all": ["accept-language"], "subgraphs": {"accounts": ["x-tenant"]}, "cacheControl": true}
 *
 * Off by default: no client header is copied, and answers say `Cache-Control: no-store`.
 */

export interface HeaderPropagation {
  /** Client headers copied to every subgraph. Default none. */
  readonly all: readonly string[];
  /** Client headers copied to the subgraphs named, besides `all`. Default none. */
  readonly subgraphs: Readonly<Record<string, readonly string[]>>;
  /**
   * Default false: the client's answer says `no-store`. True: the subgraphs' Cache-Control merged to the most
   * restrictive (no-store or an answer without one beats private, which beats public; the lowest max-age).
   */
  readonly cacheControl: boolean;
}

export const NO_HEADER_PROPAGATION: HeaderPropagation = Object.freeze({ all: [], subgraphs: {}, cacheControl: false });

const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
// The gateway's own headers (identity, request id, trace context) and those of the connection or the body.
const NEVER_PROPAGATED = new Set([
  'x-request-id',
  'traceparent',
  'tracestate',
  'content-type',
  'content-length',
  'content-encoding',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);
const NEVER_PROPAGATED_PREFIXES = ['x-fed-', 'proxy-'];

function headerNames(value: unknown, where: string): readonly string[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be a list of header names`);
  return Object.freeze(
    value.map((name) => {
      if (typeof name !== 'string' || !TOKEN.test(name.toLowerCase()))
        throw new Error(`${where} holds "${String(name)}", not a header name`);
      const lower = name.toLowerCase();
      if (NEVER_PROPAGATED.has(lower) || NEVER_PROPAGATED_PREFIXES.some((prefix) => lower.startsWith(prefix)))
        throw new Error(`${where}: "${lower}" is the gateway's own or the connection's header and is never copied`);
      return lower;
    }),
  );
}

/** The setting parsed and frozen; an error names what is wrong. */
export function parseHeaderPropagation(raw: string | undefined): HeaderPropagation {
  if (!raw) return NO_HEADER_PROPAGATION;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('must be a JSON object such as {"all": ["accept-language"], "cacheControl": true}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('must be a JSON object');
  const { all = [], subgraphs = {}, cacheControl = false, ...unknown } = parsed as Record<string, unknown>;
  const extra = Object.keys(unknown)[0];
  if (extra !== undefined) throw new Error(`unknown field "${extra}" (fields: all, subgraphs, cacheControl)`);
  if (typeof cacheControl !== 'boolean') throw new Error('cacheControl must be true or false');
  if (typeof subgraphs !== 'object' || subgraphs === null || Array.isArray(subgraphs))
    throw new Error('subgraphs must be an object of subgraph names to lists of header names');
  return Object.freeze({
    all: headerNames(all, 'all'),
    subgraphs: Object.freeze(
      Object.fromEntries(Object.entries(subgraphs).map(([name, names]) => [name, headerNames(names, `subgraphs.${name}`)])),
    ),
    cacheControl,
  });
}

export type ClientHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The client headers that go to `subgraph`, lower-case names, in the order configured. */
export function propagatedHeaders(rules: HeaderPropagation, subgraph: string, client: ClientHeaders | undefined): [string, string][] {
  const named = rules.subgraphs[subgraph];
  if (!client || (rules.all.length === 0 && !named)) return [];
  const headers: [string, string][] = [];
  for (const name of named ? [...rules.all, ...named] : rules.all) {
    const value = client[name];
    if (value !== undefined) headers.push([name, Array.isArray(value) ? value.join(', ') : value]);
  }
  return headers;
}
