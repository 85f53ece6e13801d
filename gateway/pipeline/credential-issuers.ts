/**
 * The credential issuers the gateway accepts credentials of (AUTH_ISSUERS): for each, how its tokens are
 * verified (their `iss`, the algorithms, the JWKS), how a token or an API key is resolved to a principal (a
 * route of the issuer's service, which speaks accounts' internal contract), and which subgraphs' fields its
 * principals may call. The defaults are accounts and Dalet; configuration replaces them as a whole.
 */

export interface TokenVerification {
  /** The `iss` claim of its tokens; a token is given to the issuer its `iss` names. */
  iss: string;
  /** The JWS algorithms accepted, e.g. ["EdDSA"] or ["RS512"]. */
  algorithms: readonly string[];
  /** Its public keys: an absolute URL, or a path on the issuer's origin. Default `/.well-known/jwks.json`. */
  jwks: string;
  /** `POST {userId, tokenId}` (the token's `sub` and `jti`): 200 `{ principal }`, or 401 when revoked. */
  resolve: string;
}

export interface ApiKeyResolution {
  /** `POST {key}`: 200 `{ principal }`, or 401 for an unknown key. */
  resolve: string;
  /** Longer keys are refused without asking. Default 1024. */
  maxLength: number;
}

/** Which subgraphs' fields an issuer's principals may call: only these, or all but these. */
export type SubgraphCoverage = { only: readonly string[] } | { except: readonly string[] };

export interface CredentialIssuer {
  /** Its name; every principal it vouches for carries it as `issuer`. */
  name: string;
  /** The subgraph that serves it: the audience of the gateway's signed calls, and its default origin. Default: `name`. */
  subgraph: string;
  /** Where it answers. Default: the origin of its subgraph's routing URL in the supergraph, followed across reloads. */
  url?: string;
  token: TokenVerification;
  /** Whether it resolves API keys (anything that is not a JWT); one issuer at most. */
  apiKeys?: ApiKeyResolution;
  subgraphs: SubgraphCoverage;
}

const JWKS = '/.well-known/jwks.json';

/** Today's accounts, and Dalet's users (the dalet subgraph's README has their contract). */
export const DEFAULT_ISSUERS: readonly CredentialIssuer[] = Object.freeze([
  {
    name: 'accounts',
    subgraph: 'accounts',
    token: { iss: 'accounts', algorithms: ['EdDSA'], jwks: JWKS, resolve: '/internal/authenticate/user' },
    apiKeys: { resolve: '/internal/authenticate/api-key', maxLength: 1024 },
    subgraphs: { except: ['dalet'] },
  },
  {
    name: 'dalet',
    subgraph: 'dalet',
    token: { iss: 'dalet', algorithms: ['RS512'], jwks: JWKS, resolve: '/internal/authenticate/user' },
    subgraphs: { only: ['dalet'] },
  },
]);

/** The issuer a principal without `issuer` came from. */
export const DEFAULT_ISSUER_NAME = 'accounts';

/** Whether `issuer`'s principals may call fields of `subgraph`. */
export function covers(issuer: CredentialIssuer, subgraph: string): boolean {
  return 'only' in issuer.subgraphs ? issuer.subgraphs.only.includes(subgraph) : !issuer.subgraphs.except.includes(subgraph);
}

/** Asymmetric algorithms only: a JWKS publishes public keys. */
const ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function httpUrl(value: unknown): boolean {
  return typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

function path(value: unknown): boolean {
  return typeof value === 'string' && /^\/[\x21-\x7e]*$/.test(value);
}

function names(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && NAME.test(item));
}

/** One issuer of AUTH_ISSUERS, checked field by field; throws naming the first bad one. */
function parseIssuer(raw: unknown, at: string): CredentialIssuer {
  const fail = (field: string, accepted: string): never => {
    throw new Error(`${at}.${field} must be ${accepted}`);
  };
  if (!isObject(raw)) fail('', 'an object');
  const issuer = raw as Json;
  if (typeof issuer.name !== 'string' || !NAME.test(issuer.name)) fail('name', 'a name of letters, digits, _ and -');
  const name = issuer.name as string;
  if (issuer.subgraph !== undefined && (typeof issuer.subgraph !== 'string' || !NAME.test(issuer.subgraph)))
    fail('subgraph', 'a subgraph name');
  if (issuer.url !== undefined && !httpUrl(issuer.url)) fail('url', 'an http(s) URL');

  const token = issuer.token as Json;
  if (!isObject(token)) fail('token', 'an object with iss, algorithms, jwks and resolve');
  if (typeof token.iss !== 'string' || token.iss === '') fail('token.iss', 'the `iss` claim of its tokens');
  const algorithms = token.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every((algorithm) => ALGORITHMS.includes(algorithm as string))) {
    fail('token.algorithms', `a list of ${ALGORITHMS.join(', ')}`);
  }
  if (token.jwks !== undefined && !httpUrl(token.jwks) && !path(token.jwks)) fail('token.jwks', 'an http(s) URL or a path starting with /');
  if (!path(token.resolve)) fail('token.resolve', 'a path starting with /');

  let apiKeys: ApiKeyResolution | undefined;
  if (issuer.apiKeys !== undefined) {
    const keys = issuer.apiKeys as Json;
    if (!isObject(keys) || !path(keys.resolve)) fail('apiKeys.resolve', 'a path starting with /');
    const maxLength = keys.maxLength ?? 1024;
    if (!Number.isInteger(maxLength) || (maxLength as number) < 1 || (maxLength as number) > 4096)
      fail('apiKeys.maxLength', 'a whole number from 1 to 4096');
    apiKeys = { resolve: keys.resolve as string, maxLength: maxLength as number };
  }

  const coverage = issuer.subgraphs as Json;
  const only = isObject(coverage) ? coverage.only : undefined;
  const except = isObject(coverage) ? coverage.except : undefined;
  if ((only === undefined) === (except === undefined) || !names(only ?? except))
    fail('subgraphs', '{"only": [subgraph, ...]} or {"except": [subgraph, ...]}');

  return {
    name,
    subgraph: (issuer.subgraph as string | undefined) ?? name,
    ...(issuer.url === undefined ? {} : { url: issuer.url as string }),
    token: {
      iss: token.iss as string,
      algorithms: algorithms as string[],
      jwks: (token.jwks as string | undefined) ?? JWKS,
      resolve: token.resolve as string,
    },
    ...(apiKeys ? { apiKeys } : {}),
    subgraphs: only !== undefined ? { only: only as string[] } : { except: except as string[] },
  };
}

/** AUTH_ISSUERS: a JSON array of issuers (gateway/README.md). Throws an Error naming what is wrong. */
export function parseIssuers(raw: string): CredentialIssuer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('AUTH_ISSUERS must be a JSON array of issuers');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error('AUTH_ISSUERS must be a JSON array of at least one issuer');
  const issuers = parsed.map((issuer, index) => parseIssuer(issuer, `AUTH_ISSUERS[${index}]`));
  const repeated = (values: string[]) => values.find((value, index) => values.indexOf(value) !== index);
  const name = repeated(issuers.map((issuer) => issuer.name));
  if (name !== undefined) throw new Error(`AUTH_ISSUERS names the issuer "${name}" twice`);
  const iss = repeated(issuers.map((issuer) => issuer.token.iss));
  if (iss !== undefined) throw new Error(`AUTH_ISSUERS gives two issuers the token iss "${iss}"`);
  if (issuers.filter((issuer) => issuer.apiKeys).length > 1) throw new Error('AUTH_ISSUERS may give apiKeys to one issuer only');
  return issuers;
}

/** ACCOUNTS_URL, kept from before issuers were configured: the `url` of the issuer named accounts. */
export function withAccountsUrl(issuers: readonly CredentialIssuer[], accountsUrl: string | undefined): readonly CredentialIssuer[] {
  if (!accountsUrl) return issuers;
  return issuers.map((issuer) =>
    issuer.name === DEFAULT_ISSUER_NAME && issuer.url === undefined ? { ...issuer, url: accountsUrl } : issuer,
  );
}
