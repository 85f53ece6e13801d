/**
 * The platform as a hostile client meets it: a few thousand malformed requests to a real gateway over the
 * accounts and billing subgraphs (invalid JSON, wrong types, huge and nested documents, odd headers, random
 * bytes, wrong content types, bad methods, raw garbage on the socket). None may get a 5xx or an answer that
 * shows a stack trace or an internal detail, and `/health` (asked from another process) must answer within
 * 100 ms 99 times in 100, and never near a blocked event loop.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from './helpers/gateway-process.ts';
import { watchHealth } from './helpers/health-watch.ts';
import { postGraphQL, startPlatform, type Platform } from './helpers/platform.ts';

const HEALTH_BUDGET_MS = 100;
// Requests in flight at once: the gateway answers one at a time, so /health waits behind at most these.
const CONCURRENCY = 2;

interface Probe {
  name: string;
  method?: string;
  /** Appended to the /graphql URL. */
  search?: string;
  headers?: Record<string, string>;
  body?: string | Blob;
}

/** What an answer must never show: stack frames, file paths, modules. */
const INTERNAL_DETAIL = [/\n\s+at /, /\bat [\w$.<>]+ \(/, /node_modules/, /\/work\//, /file:\/\//, /\.[cm]?[jt]s:\d+/, /"stack"/];

const json = (value: unknown) => JSON.stringify(value);
const post = (name: string, body: string | Blob, headers: Record<string, string> = {}): Probe => ({
  name,
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json', ...headers },
});
const nested = (open: string, close: string, depth: number, inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

function probes(): Probe[] {
  const all: Probe[] = [];
  const invalidJson = [
    '{',
    '{"query":',
    '{"query": "{ __typename }"',
    '[',
    ']',
    'nul',
    'undefined',
    "{'query':'x'}",
    '{"query":"\\u00"}',
    '\uFEFF{"query":"{ __typename }"}',
    '{"query":"{ __typename }"}}',
    '{"a":1,}',
    '1e999999',
    '"just a string"',
    '',
    ' ',
    '\0',
  ];
  for (const body of invalidJson) all.push(post(`invalid JSON ${json(body)}`, body));

  const wrongTypes: unknown[] = [
    null,
    1,
    true,
    [],
    [1, 2],
    'query',
    { query: 1 },
    { query: null },
    { query: [] },
    { query: {} },
    { query: true },
    { query: '{ __typename }', variables: 'x' },
    { query: '{ __typename }', variables: [1] },
    { query: '{ __typename }', variables: 3 },
    { query: '{ __typename }', operationName: 5 },
    { query: '{ __typename }', operationName: {} },
    { query: '{ __typename }', extensions: 'x' },
    { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
    { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
    { query: 'query ($id: String!) { get_project(id: $id) { id } }', variables: { id: 5 } },
    { query: 'query ($id: String!) { get_project(id: $id) { id } }', variables: { id: { nested: [1] } } },
    { query: 'query ($n: Float!) { login_with_email_otp(email: "a@b.c", otp: $n) }', variables: { n: 'NaN' } },
    { query: '{ __proto__ }' },
    { query: '{ __typename }', variables: { __proto__: { polluted: true } } },
    { query: '{ constructor { prototype } }' },
  ];
  for (const body of wrongTypes) all.push(post(`wrong types ${json(body).slice(0, 80)}`, json(body)));

  const documents = [
    'query',
    '{',
    '}',
    '{ }',
    '{ __typename',
    'query Q { __typename } query Q { __typename }',
    '{ a } { b }',
    '{ __typename } { __typename }',
    'subscription { __typename }',
    'fragment F on Query { ...F } { ...F }',
    'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }',
    '{ ...Missing }',
    `{ ${'a'.repeat(50_000)} }`,
    `{ __typename @${'d'.repeat(10_000)} }`,
    `query ${'N'.repeat(20_000)} { __typename }`,
    `{ __typename(${Array.from({ length: 500 }, (_, i) => `a${i}: 1`).join(', ')}) }`,
    Array.from({ length: 3000 }, (_, i) => `a${i}: __typename`)
      .join(' ')
      .replace(/^/, '{ ')
      .concat(' }'),
    `{ ${Array.from({ length: 300 }, (_, i) => `x${i}: get_me { id }`).join(' ')} }`,
    nested('{ get_me { ', ' } }', 200, 'id'),
    nested('{ a ', ' }', 1500, 'b'),
    `{ get_project(id: ${nested('[', ']', 1000)}) { id } }`,
    `{ get_project(id: ${nested('[', ']', 1990)}) { id } }`,
    `{ get_project(id: ${nested('[', ']', 2000)}) { id } }`,
    `{ get_project(id: ${nested('[', ']', 5000)}) { id } }`,
    `{ get_project(id: ${nested('{a: ', '}', 1500)}) { id } }`,
    `{ get_project(id: "${'\\u0000'.repeat(100)}") { id } }`,
    `{ get_project(id: "${'é'.repeat(20_000)}") { id } }`,
    '{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }',
    '{ __type(name: "Query") { name } }',
    'query ($a: Int = "x") { __typename }',
    'query ($a: [[[[Int]]]]!) { __typename }',
    'query ($a: Nope) { __typename }',
    '{ __typename @include(if: $missing) }',
    '{ __typename @skip }',
    '"""' + 'x'.repeat(30_000),
    '# only a comment',
    '\u0000\u0001\u0002',
    '{ __typename }\u2028',
    'mutation { create_api_key(project_id: "x", name: "y", role: ADMIN) { id } }',
  ];
  for (const query of documents) {
    all.push(post(`document ${json(query.slice(0, 60))}`, json({ query })));
    all.push({
      name: `document by GET ${json(query.slice(0, 60))}`,
      method: 'GET',
      search: `?query=${encodeURIComponent(query)}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
  }
  for (const operationName of ['Nope', '', ' ', 'Q'.repeat(5000)]) {
    all.push(
      post(
        `unknown operationName ${operationName.slice(0, 20)}`,
        json({ query: 'query A { __typename } query B { __typename }', operationName }),
      ),
    );
    all.push(
      post(`operationName for one operation ${operationName.slice(0, 20)}`, json({ query: 'query A { __typename }', operationName })),
    );
  }
  all.push(post('body over MAX_BODY_BYTES', json({ query: `{ __typename } # ${'x'.repeat(300_000)}` })));
  all.push(
    post(
      'variables, deeply nested',
      json({ query: 'query ($v: String) { __typename }', variables: { v: JSON.parse(nested('{"a":', '}', 3000)) } }),
    ),
  );

  const credentials = [
    'Bearer',
    'Bearer ',
    'Bearer  x',
    'Basic dXNlcjpwYXNz',
    'bearer cc_x',
    `Bearer ${'a'.repeat(1025)}`,
    `Bearer ${'a'.repeat(4096)}`,
    `Bearer ${'a'.repeat(12_000)}`,
    'Bearer a.b.c',
    'Bearer eyJhbGciOiJub25lIn0.e30.',
    'Bearer \u00e9\u00e9',
    'Bearer cc_🙂'.normalize(),
    'Bearer a b c',
    'Token x',
  ];
  for (const authorization of credentials) {
    // Headers must be Latin-1 for fetch; the rest are sent as bytes on a raw socket below.
    if ([...authorization].some((char) => char.charCodeAt(0) > 255)) continue;
    all.push(post(`authorization ${authorization.slice(0, 30)}`, json({ query: '{ get_me { id } }' }), { authorization }));
  }
  const oddHeaders: Record<string, string>[] = [
    { 'content-type': 'application/json; charset=utf-16' },
    { 'content-type': 'application/json; charset=latin1' },
    { 'content-type': 'text/plain' },
    { 'content-type': 'application/graphql' },
    { 'content-type': 'application/x-www-form-urlencoded' },
    { 'content-type': 'multipart/form-data; boundary=x' },
    { 'content-type': 'application/xml' },
    { 'content-type': '' },
    { 'content-type': ';;;' },
    { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    { 'content-type': 'application/json', 'content-encoding': 'br' },
    { 'content-type': 'application/json', 'content-encoding': 'nope' },
    { 'content-type': 'application/json', accept: 'application/xml' },
    { 'content-type': 'application/json', accept: 'text/event-stream' },
    { 'content-type': 'application/json', accept: 'multipart/mixed' },
    { 'content-type': 'application/json', 'x-request-id': 'x'.repeat(5000) },
    { 'content-type': 'application/json', 'x-request-id': '../../etc/passwd' },
    { 'content-type': 'application/json', 'x-forwarded-for': 'not-an-ip, 1.1.1.1' },
    { 'content-type': 'application/json', 'x-fed-identity': 'eyJhZG1pbiI6dHJ1ZX0', 'x-fed-signature': 'x', 'x-fed-timestamp': '0' },
    { 'content-type': 'application/json', 'x-huge': 'h'.repeat(15_000) },
    { 'content-type': 'application/json', 'apollo-require-preflight': '\u00ff' },
    { 'content-type': 'application/json', cookie: 'a=b; '.repeat(500) },
  ];
  for (const headers of oddHeaders)
    all.push({ name: `headers ${json(headers).slice(0, 80)}`, method: 'POST', headers, body: json({ query: '{ __typename }' }) });

  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'FOO']) {
    all.push({
      name: `method ${method}`,
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'HEAD' ? undefined : json({ query: '{ __typename }' }),
    });
  }
  for (const search of [
    '?query=%ZZ',
    '?query={__typename}&variables={bad',
    '?query={__typename}&variables=[]',
    '?query={__typename}&extensions=1',
    '?query=mutation{send_email_otp(email:"a@b.c")}',
    '?query[]=x',
    '?' + 'a=1&'.repeat(2000),
    '?query=' + '%00'.repeat(100),
  ]) {
    all.push({ name: `GET ${search.slice(0, 40)}`, method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
  }
  // Random bytes, as the body of JSON, GraphQL and no content type: most of the probe by count.
  for (let i = 0; i < 1500; i++) {
    const bytes = new Blob([randomBytes(1 + (i % 64) * 31)]);
    const contentType = ['application/json', 'application/graphql-response+json', 'text/plain', undefined][i % 4];
    all.push({ name: `random bytes #${i}`, method: 'POST', body: bytes, headers: contentType ? { 'content-type': contentType } : {} });
  }
  // Random JSON-ish mutations of a valid request.
  const valid = json({ query: 'query ($id: String!) { get_project(id: $id) { id name current_spend } }', variables: { id: 'p' } });
  for (let i = 0; i < 500; i++) {
    const chars = [...valid];
    for (let j = 0; j < 1 + (i % 5); j++)
      chars[(i * 7919 + j * 104729) % chars.length] = String.fromCharCode(32 + ((i * 31 + j * 17) % 95));
    all.push(post(`mutated request #${i}`, chars.join('')));
  }
  return all;
}

/** Raw bytes no HTTP client would send: answered, if at all, by the HTTP parser. */
const RAW_REQUESTS = [
  'GARBAGE\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello',
  'POST /graphql HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n0\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
  'GET /graphql?query={__typename} HTTP/1.1\r\nhost: x\r\nx: \u00e9\u00e9\r\napollo-require-preflight: 1\r\n\r\n',
  'POST /graphql HTTP/1.1\r\nhost: x\r\nauthorization: Bearer cc_\u{1F642}\r\ncontent-type: application/json\r\ncontent-length: 26\r\n\r\n{"query":"{ get_me { id } }"}',
  'GET /%%%% HTTP/1.1\r\nhost: x\r\n\r\n',
  `GET /graphql HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(70_000)}\r\n\r\n`,
  'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  `${randomBytes(2000).toString('latin1')}\r\n\r\n`,
];

async function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(bytes, 'utf8')));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

describe('hostile clients', () => {
  let platform: Platform;
  // The gateway under attack runs in a process of its own: in the test's process, the time /health takes
  // would be the time the test spends making its thousands of requests.
  let gateway: GatewayProcess;
  beforeAll(async () => {
    platform = await startPlatform({
      subgraphs: ['accounts', 'billing'],
      subgraphEnv: { BOOTSTRAP_ADMIN_KEY: 'hostile-clients-test-bootstrap-admin-key-0123456789' },
    });
    // Limits far above the probe, so that every input reaches the pipeline rather than a 429.
    gateway = await startGatewayProcess(platform, { RATE_LIMITS: 'anonymous=1000000000', LOGIN_RATE_LIMIT: '1000000000' });
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await platform?.stop();
  });

  it('get no 5xx and no internal detail for thousands of malformed requests, while /health answers within 100 ms (99 in 100)', async () => {
    const health = watchHealth(gateway.url.replace(/graphql$/, 'health'));

    let roundTrips: number[] = [];
    let healthFailures: string[] = [];
    const failures: string[] = [];
    const check = (name: string, status: number, text: string) => {
      if (status >= 500) failures.push(`${name}: HTTP ${status} ${text.slice(0, 200)}`);
      const leak = INTERNAL_DETAIL.find((pattern) => pattern.test(text));
      if (leak) failures.push(`${name}: shows ${leak} in ${text.slice(0, 300)}`);
    };
    const queue = probes();
    const total = queue.length + RAW_REQUESTS.length;
    const worker = async () => {
      for (let probe = queue.shift(); probe; probe = queue.shift()) {
        try {
          const answer = await fetch(`${gateway.url}${probe.search ?? ''}`, {
            method: probe.method ?? 'POST',
            headers: probe.headers,
            body: probe.body,
          });
          check(probe.name, answer.status, await answer.text());
        } catch (error) {
          // The server may close the connection on a request it refuses outright; that is an answer too.
          if (!/fetch failed|other side closed|socket/i.test(String((error as Error).cause ?? error)))
            failures.push(`${probe.name}: ${String(error)}`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      for (const bytes of RAW_REQUESTS) {
        const answer = await rawRequest(gateway.url, bytes);
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
        check(`raw ${json(bytes.slice(0, 40))}`, status, answer);
      }
    } finally {
      ({ roundTrips, failures: healthFailures } = await health.stop());
    }

    expect(total).toBeGreaterThan(2000);
    expect(healthFailures).toEqual([]);
    expect(roundTrips.length).toBeGreaterThan(20);
    const sorted = [...roundTrips].sort((a, b) => a - b);
    const at = (share: number) => Math.round(sorted[Math.floor(share * (sorted.length - 1))]!);
    const spread = `/health round trips: ${sorted.length}, median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, over ${HEALTH_BUDGET_MS} ms: ${sorted.filter((ms) => ms >= HEALTH_BUDGET_MS).length}`;
    // On a shared 2-core machine a round trip now and then waits for the CPU, whatever the gateway does:
    // 99 in 100 within the budget, and none ever near a blocked event loop (the attack of item 1 took 27 s).
    expect(at(0.99), spread).toBeLessThan(HEALTH_BUDGET_MS);
    expect(Math.max(...roundTrips), spread).toBeLessThan(10 * HEALTH_BUDGET_MS);
    expect(failures).toEqual([]);
    // And it still answers real requests.
    expect((await postGraphQL(gateway.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  }, 240_000);
});
