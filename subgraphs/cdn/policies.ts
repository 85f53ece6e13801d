/**
 * CloudFront's managed policies, with their real ids, TTLs (seconds) and cache keys. They are fixed, so
 * they are constants rather than rows; `last_modified_time` is the day this table was written.
 */
export interface KeyItems {
  /** none, whitelist, allExcept, allViewer (headers) or all (cookies, query strings). */
  behavior: string;
  items: string[];
}

export interface CachePolicyConfig {
  name: string;
  comment: string;
  min_ttl: number;
  default_ttl: number;
  max_ttl: number;
  headers: KeyItems;
  cookies: KeyItems;
  query_strings: KeyItems;
  enable_accept_encoding_gzip: boolean;
  enable_accept_encoding_brotli: boolean;
}

export interface HeaderPolicyConfig {
  name: string;
  comment: string;
  headers: KeyItems;
  cookies: KeyItems;
  query_strings: KeyItems;
  response_headers?: { header_name: string; header_value: string }[];
}

const LAST_MODIFIED = '2026-12-02T00:00:00.000Z';
const NONE: KeyItems = { behavior: 'none', items: [] };
const ALL: KeyItems = { behavior: 'all', items: [] };
const only = (...items: string[]): KeyItems => ({ behavior: 'whitelist', items });
const YEAR = 31_536_000;

function cache(id: string, name: string, comment: string, ttl: [number, number, number], key: Partial<CachePolicyConfig> = {}) {
  const [min_ttl, default_ttl, max_ttl] = ttl;
  const config: CachePolicyConfig = {
    name,
    comment,
    min_ttl,
    default_ttl,
    max_ttl,
    headers: NONE,
    cookies: NONE,
    query_strings: NONE,
    enable_accept_encoding_gzip: true,
    enable_accept_encoding_brotli: true,
    ...key,
  };
  return { id, last_modified_time: LAST_MODIFIED, config };
}

export const CACHE_POLICIES = [
  cache('658327ea-f89d-4fab-a63d-7e88639e58f6', 'Managed-CachingOptimized', 'Default policy when CF compression is enabled', [
    1,
    86_400,
    YEAR,
  ]),
  cache(
    'b2884449-e4de-46a7-ac36-70bc7f1ddd6d',
    'Managed-CachingOptimizedForUncompressedObjects',
    'Default policy when compression is disabled',
    [1, 86_400, YEAR],
    {
      enable_accept_encoding_gzip: false,
      enable_accept_encoding_brotli: false,
    },
  ),
  cache('4135ea2d-6df8-44a3-9df3-4b5a84be39ad', 'Managed-CachingDisabled', 'Policy with caching disabled', [0, 0, 0], {
    enable_accept_encoding_gzip: false,
    enable_accept_encoding_brotli: false,
  }),
  cache(
    '08627262-05a9-4f76-9ded-b50ca2e3a84f',
    'Managed-Elemental-MediaPackage',
    'Policy for Elemental MediaPackage Origin',
    [0, 86_400, YEAR],
    {
      headers: only('origin'),
      query_strings: only('aws.manifestfilter', 'start', 'end', 'm'),
      enable_accept_encoding_brotli: false,
    },
  ),
  cache('4cc15a8a-d715-48a4-82b8-cc0b614638fe', 'Managed-Amplify', 'Policy for Amplify Origin', [2, 2, 600], {
    headers: only('Authorization', 'CloudFront-Viewer-Country', 'Host'),
    cookies: ALL,
    query_strings: ALL,
  }),
  cache(
    '83da9c7e-98b4-4e11-a168-04f0df8e2c65',
    'UseOriginCacheControlHeaders',
    'Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.',
    [0, 0, YEAR],
    {
      headers: only('host', 'origin', 'x-http-method-override', 'x-http-method', 'x-method-override'),
      cookies: ALL,
    },
  ),
  cache(
    '4d1d2f1d-3a71-49ad-9e08-7ea5d843a556',
    'UseOriginCacheControlHeaders-QueryStrings',
    'Policy for origins that return Cache-Control headers and serve different content based on values present in the query string.',
    [0, 0, YEAR],
    {
      headers: only('host', 'origin', 'x-http-method-override', 'x-http-method', 'x-method-override'),
      cookies: ALL,
      query_strings: ALL,
    },
  ),
];

function forward(id: string, name: string, comment: string, headers: KeyItems, cookies: KeyItems, query_strings: KeyItems) {
  return { id, last_modified_time: LAST_MODIFIED, config: { name, comment, headers, cookies, query_strings } as HeaderPolicyConfig };
}

export const ORIGIN_REQUEST_POLICIES = [
  forward(
    '216adef6-5c7f-47e4-b989-5492eafa07d3',
    'Managed-AllViewer',
    'Policy to forward all parameters in viewer requests',
    { behavior: 'allViewer', items: [] },
    ALL,
    ALL,
  ),
  forward(
    'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    'Managed-AllViewerExceptHostHeader',
    'Policy to forward all parameters in viewer requests except for the Host header',
    { behavior: 'allExcept', items: ['host'] },
    ALL,
    ALL,
  ),
  forward(
    '59781a5b-3903-41f3-afcb-af62929ccde1',
    'Managed-CORS-CustomOrigin',
    'Policy for Custom Origin to enable CORS',
    only('origin'),
    NONE,
    NONE,
  ),
  forward(
    '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf',
    'Managed-CORS-S3Origin',
    'Policy for S3 origin with CORS',
    only('origin', 'access-control-request-headers', 'access-control-request-method'),
    NONE,
    NONE,
  ),
  forward(
    'acba4595-bd28-49b8-b9fe-13317c0390fa',
    'Managed-UserAgentRefererHeaders',
    'Policy to forward user-agent and referer headers to origin',
    only('user-agent', 'referer'),
    NONE,
    NONE,
  ),
];

const SECURITY_HEADERS = [
  { header_name: 'strict-transport-security', header_value: 'max-age=31536000' },
  { header_name: 'x-content-type-options', header_value: 'nosniff' },
  { header_name: 'x-frame-options', header_value: 'SAMEORIGIN' },
  { header_name: 'x-xss-protection', header_value: '1; mode=block' },
  { header_name: 'referrer-policy', header_value: 'strict-origin-when-cross-origin' },
];
const SIMPLE_CORS = [{ header_name: 'access-control-allow-origin', header_value: '*' }];
const PREFLIGHT_CORS = [
  ...SIMPLE_CORS,
  { header_name: 'access-control-allow-methods', header_value: 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT' },
  { header_name: 'access-control-allow-headers', header_value: '*' },
];

function respond(id: string, name: string, comment: string, response_headers: HeaderPolicyConfig['response_headers']) {
  return {
    id,
    last_modified_time: LAST_MODIFIED,
    config: { name, comment, headers: NONE, cookies: NONE, query_strings: NONE, response_headers } as HeaderPolicyConfig,
  };
}

export const RESPONSE_HEADER_POLICIES = [
  respond('60669652-455b-4ae9-85a4-c4c02393f86c', 'Managed-SimpleCORS', 'Allow all origins for simple CORS requests', SIMPLE_CORS),
  respond(
    '5cc3b908-e619-4b99-88e5-2cf7f45965bd',
    'Managed-CORS-With-Preflight',
    'Allow all origins, methods and headers for CORS preflight requests',
    PREFLIGHT_CORS,
  ),
  respond(
    '67f7725c-6f97-4210-82d7-5512b31e9d03',
    'Managed-SecurityHeadersPolicy',
    'Adds a set of security headers to every response',
    SECURITY_HEADERS,
  ),
  respond(
    'e61eb60c-9c35-4d20-a928-2b84e02af89c',
    'Managed-CORS-and-SecurityHeadersPolicy',
    'Allow all origins for simple CORS requests and add security headers',
    [...SIMPLE_CORS, ...SECURITY_HEADERS],
  ),
  respond(
    'eaab4381-ed33-4a86-88ca-d9558dc6cd63',
    'Managed-CORS-with-preflight-and-SecurityHeadersPolicy',
    'Allow all origins, methods and headers for CORS preflight requests and add security headers',
    [...PREFLIGHT_CORS, ...SECURITY_HEADERS],
  ),
];

export const cachePolicy = (id: string) => CACHE_POLICIES.find((policy) => policy.id === id);
export const originRequestPolicy = (id: string) => ORIGIN_REQUEST_POLICIES.find((policy) => policy.id === id);
export const responseHeaderPolicy = (id: string) => RESPONSE_HEADER_POLICIES.find((policy) => policy.id === id);
