/**
 * A distribution's config as stored (the doc's DistributionConfig) and the checks every write runs on the
 * whole config before anything is written. A refusal is BAD_USER_INPUT naming the argument that carried
 * the change, with the rule in the message.
 */
import { badUserInput } from '../../core/errors.ts';
import { textProblem } from '../kit/validation.ts';
import { cachePolicy, originRequestPolicy, responseHeaderPolicy } from './policies.ts';

export interface OriginConfig {
  id: string;
  domain_name: string;
  origin_path?: string | null;
  s3_oac?: string | null;
  connection_attempts?: number | null;
  connection_timeout?: number | null;
  custom_origin_https_port?: number | null;
  custom_origin_http_port?: number | null;
  custom_origin_origin_protocol_policy?: 'http_only' | 'match_viewer' | 'https_only' | null;
  custom_origin_origin_ssl_protocols?: string[] | null;
  custom_origin_origin_read_timeout?: number | null;
  custom_origin_origin_keepalive_timeout?: number | null;
  custom_headers?: { header_name: string; header_value: string }[] | null;
}

export interface CacheBehaviorConfig {
  path_pattern: string;
  target_origin_id: string;
  viewer_protocol_policy: 'allow_all' | 'https_only' | 'redirect_to_https';
  allowed_methods: { items: string[]; cached_methods: string[] };
  compress?: boolean | null;
  cache_policy_id: string;
  origin_request_policy_id?: string | null;
  response_headers_policy_id?: string | null;
  [other: string]: unknown;
}

export interface ErrorResponseConfig {
  error_code: number;
  response_page_path?: string | null;
  response_code?: string | null;
  error_caching_min_ttl?: number | null;
}

export interface DistributionConfig {
  default_root_object?: string | null;
  comment: string;
  price_class?: string | null;
  enabled: boolean;
  http_version?: string | null;
  caller_reference?: string | null;
  is_ip_v6_enabled?: boolean | null;
  errorResponses: ErrorResponseConfig[];
  distribution_aliases: string[];
  certificate_arn?: string | null;
  minimum_protocol_version?: string | null;
  origins: OriginConfig[];
  cache_behaviors: CacheBehaviorConfig[];
}

export const DEFAULT_PATH_PATTERN = '*';
/** CloudFront's only allowed method sets, and cached method sets. */
const METHOD_SETS = [
  ['GET', 'HEAD'],
  ['GET', 'HEAD', 'OPTIONS'],
  ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
];
const CACHED_SETS = [
  ['GET', 'HEAD'],
  ['GET', 'HEAD', 'OPTIONS'],
];
/** The error codes CloudFront lets a distribution answer with a custom page. */
export const ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];
const RESPONSE_CODES = ['200', ...ERROR_CODES.map(String)];
const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.*$/~"'@:+&]{0,254}$/;

type Fail = (message: string) => never;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && b.every((item) => a.includes(item));

function checkNumber(value: number | null | undefined, name: string, min: number, max: number, fail: Fail): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name} must be a whole number from ${min} to ${max}`);
}

export function isHostname(value: string): boolean {
  return HOSTNAME.test(value);
}

function checkOrigin(origin: OriginConfig, fail: Fail): void {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(origin.id)) fail(`origin id "${origin.id}" must be 1 to 128 letters, digits, ".", "_" or "-"`);
  const host = origin.domain_name.toLowerCase();
  if (!isHostname(host) || host.startsWith('*.')) fail(`origin ${origin.id}: domain_name "${origin.domain_name}" is not a host name`);
  const path = origin.origin_path ?? '';
  if (path !== '' && (!/^\/[A-Za-z0-9_\-.~/%]{0,254}$/.test(path) || path.endsWith('/')))
    fail(`origin ${origin.id}: origin_path must start with "/" and not end with "/"`);
  checkNumber(origin.connection_attempts, 'connection_attempts', 1, 3, fail);
  checkNumber(origin.connection_timeout, 'connection_timeout', 1, 10, fail);
  checkNumber(origin.custom_origin_http_port, 'custom_origin_http_port', 1, 65_535, fail);
  checkNumber(origin.custom_origin_https_port, 'custom_origin_https_port', 1, 65_535, fail);
  checkNumber(origin.custom_origin_origin_read_timeout, 'custom_origin_origin_read_timeout', 1, 180, fail);
  checkNumber(origin.custom_origin_origin_keepalive_timeout, 'custom_origin_origin_keepalive_timeout', 1, 180, fail);
  for (const header of origin.custom_headers ?? []) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}$/.test(header.header_name))
      fail(`origin ${origin.id}: custom header name "${header.header_name}" is not a token`);
    if (['host', 'connection', 'content-length', 'transfer-encoding'].includes(header.header_name.toLowerCase()))
      fail(`origin ${origin.id}: custom header ${header.header_name} may not be set`);
    const problem = textProblem(header.header_value, { maxLength: 1_783, allowEmpty: true });
    if (problem) fail(`origin ${origin.id}: custom header ${header.header_name} ${problem}`);
  }
}

function checkBehavior(behavior: CacheBehaviorConfig, originIds: Set<string>, fail: Fail): void {
  const pattern = behavior.path_pattern;
  if (pattern !== DEFAULT_PATH_PATTERN && !PATH_PATTERN.test(pattern))
    fail(`path_pattern "${pattern}" must be "*" or start with "/" (up to 255 characters of A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + &)`);
  if (!originIds.has(behavior.target_origin_id))
    fail(`cache behavior ${pattern}: target_origin_id "${behavior.target_origin_id}" names no origin of the distribution`);
  const { items, cached_methods: cached } = behavior.allowed_methods;
  if (!METHOD_SETS.some((set) => sameSet(set, items)))
    fail(`cache behavior ${pattern}: allowed_methods.items must be GET,HEAD or GET,HEAD,OPTIONS or all seven methods`);
  if (!CACHED_SETS.some((set) => sameSet(set, cached)) || !cached.every((method) => items.includes(method)))
    fail(`cache behavior ${pattern}: cached_methods must be GET,HEAD or GET,HEAD,OPTIONS, within items`);
  if (!cachePolicy(behavior.cache_policy_id))
    fail(`cache behavior ${pattern}: cache_policy_id "${behavior.cache_policy_id}" is not a cache policy (list_cache_policies)`);
  if (behavior.origin_request_policy_id && !originRequestPolicy(behavior.origin_request_policy_id))
    fail(`cache behavior ${pattern}: origin_request_policy_id is not an origin request policy`);
  if (behavior.response_headers_policy_id && !responseHeaderPolicy(behavior.response_headers_policy_id))
    fail(`cache behavior ${pattern}: response_headers_policy_id is not a response header policy`);
}

function checkErrorResponse(response: ErrorResponseConfig, fail: Fail): void {
  if (!ERROR_CODES.includes(response.error_code)) fail(`error_code ${response.error_code} must be one of ${ERROR_CODES.join(', ')}`);
  const page = response.response_page_path ?? null;
  const code = response.response_code ?? null;
  if ((page === null) !== (code === null)) fail(`error response ${response.error_code}: response_page_path and response_code go together`);
  if (page !== null && !/^\/[A-Za-z0-9_\-.~/%]{0,4095}$/.test(page))
    fail(`error response ${response.error_code}: response_page_path must start with "/"`);
  if (code !== null && !RESPONSE_CODES.includes(code))
    fail(`error response ${response.error_code}: response_code must be one of ${RESPONSE_CODES.join(', ')}`);
  checkNumber(response.error_caching_min_ttl, 'error_caching_min_ttl', 0, 31_536_000, fail);
}

/** Checks the whole config; puts the default behavior last. Aliases and certificates need the store: aliases.ts. */
export function validateConfig(config: DistributionConfig, argumentName: string): DistributionConfig {
  const fail: Fail = (message) => {
    throw badUserInput(argumentName, message);
  };
  const comment = textProblem(config.comment, { maxLength: 128, allowEmpty: true });
  if (comment) fail(`comment ${comment}`);
  const root = config.default_root_object ?? '';
  if (root !== '' && !/^[A-Za-z0-9_\-.~][A-Za-z0-9_\-.~/]{0,254}$/.test(root))
    fail('default_root_object must be an object name without a leading "/"');
  if (config.caller_reference != null && textProblem(config.caller_reference, { maxLength: 128 }))
    fail('caller_reference must be 1 to 128 printable characters');
  if (config.origins.length === 0) fail('a distribution needs at least one origin');
  const originIds = new Set<string>();
  for (const origin of config.origins) {
    if (originIds.has(origin.id)) fail(`origin id "${origin.id}" is used twice`);
    originIds.add(origin.id);
    checkOrigin(origin, fail);
  }
  const patterns = new Set<string>();
  for (const behavior of config.cache_behaviors) {
    if (patterns.has(behavior.path_pattern)) fail(`path_pattern "${behavior.path_pattern}" is used by two cache behaviors`);
    patterns.add(behavior.path_pattern);
    checkBehavior(behavior, originIds, fail);
  }
  if (!patterns.has(DEFAULT_PATH_PATTERN)) fail('a distribution needs its default cache behavior, path_pattern "*"');
  const codes = new Set<number>();
  for (const response of config.errorResponses) {
    if (codes.has(response.error_code)) fail(`error_code ${response.error_code} has two error responses`);
    codes.add(response.error_code);
    checkErrorResponse(response, fail);
  }
  const aliases = config.distribution_aliases.map((alias) => alias.toLowerCase());
  for (const alias of aliases) if (!isHostname(alias)) fail(`alias "${alias}" is not a host name`);
  if (new Set(aliases).size !== aliases.length) fail('an alias is listed twice');
  const ordered = [
    ...config.cache_behaviors.filter((b) => b.path_pattern !== DEFAULT_PATH_PATTERN),
    ...config.cache_behaviors.filter((b) => b.path_pattern === DEFAULT_PATH_PATTERN),
  ];
  return { ...config, distribution_aliases: aliases, cache_behaviors: ordered };
}
