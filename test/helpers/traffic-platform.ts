/**
 * Fixture subgraphs whose every HTTP answer the test decides (a status, headers, a wait, no answer at all),
 * which record each call with its headers and caller, behind the real gateway; for the traffic controls on
 * the way of subgraph fetches (deduplication, retries, circuit breaker, header propagation). Each subgraph
 * `<name>` serves `Query.<name>(id: ID!): String` (answering `<name> <id> for <caller>`) and
 * `Mutation.<name>Touch(id: ID!): String`. Callers are chosen by the test: `x-test-user: <id>`. A call whose
 * identity signature does not verify (core/identity.ts) is refused with 401, as a subgraph refuses it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { buildGateway, type GatewayService } from '../../gateway/build-gateway.ts';
import { parseGatewayConfig } from '../../gateway/config.ts';
import { ANONYMOUS, DEFAULT_IDENTITY_WINDOW_MS, verifyIdentity, type Principal } from '../../core/identity.ts';
import { IDENTITY_SECRET, postGraphQL, silentLogger, type GraphQLResponse } from './platform.ts';
import { scrape } from './prometheus.ts';

/** What a fixture does with one call: answer (optionally with a status and headers, after `delayMs`), or hold it until released. */
export type Answer = { status?: number; headers?: Record<string, string>; delayMs?: number } | 'hold';

export interface FixtureCall {
  at: number;
  headers: IncomingHttpHeaders;
  query: string;
  principal: Principal | undefined;
}

export interface FixtureSubgraph {
  readonly name: string;
  /** Calls of operations (the gateway's health probes are left out). */
  readonly calls: FixtureCall[];
  /** Answers for the next calls, in order; afterwards each call gets `otherwise`. */
  script(...answers: Answer[]): void;
  /** What calls get once the script is used up; default a 200. */
  otherwise: Answer;
  /** Answers every call held so far. */
  release(): void;
  /** How old a signature it accepts, IDENTITY_WINDOW_MS; default 5000. */
  identityWindowMs: number;
  /** Why each call refused was refused (`stale`, `forged`, `missing`), health probes included. */
  readonly refused: string[];
  /** The most calls it was answering at once. */
  readonly peakConcurrency: number;
}

export interface TrafficPlatform {
  subgraphs: Record<string, FixtureSubgraph>;
  gateway: GatewayService;
  gatewayUrl: string;
  /** As caller `user` (a user principal), or anonymous. */
  query(
    query: string,
    options?: { user?: string; headers?: Record<string, string>; variables?: Record<string, unknown> },
  ): Promise<GraphQLResponse>;
  /** A metric's value on the gateway's /metrics, 0 when absent. */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  /** `/ready`'s body. */
  ready(): Promise<{ status: string; circuits: Record<string, string> }>;
  stop(): Promise<void>;
}

const PROBE = '{ __typename }';

function sdlOf(name: string): string {
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@shareable"])
type Query { ${name}(id: ID!): String }
type Mutation { ${name}Touch(id: ID!): String }`;
}

async function startFixture(name: string): Promise<{ fixture: FixtureSubgraph; server: Server; url: string; sdl: string }> {
  const sdl = sdlOf(name);
  const answerFor = (_root: unknown, { id }: { id: string }, principal: Principal | undefined) =>
    `${name} ${id} for ${principal?.kind === 'user' ? principal.userId : (principal?.kind ?? 'nobody')}`;
  const schema = buildSubgraphSchema({
    typeDefs: parse(sdl),
    resolvers: { Query: { [name]: answerFor }, Mutation: { [`${name}Touch`]: answerFor } } as never,
  });
  const queue: Answer[] = [];
  const held: (() => void)[] = [];
  const refused: string[] = [];
  let concurrency = 0;
  let peakConcurrency = 0;
  const fixture: FixtureSubgraph = {
    name,
    calls: [],
    otherwise: {},
    script: (...answers) => void queue.push(...answers),
    release: () => held.splice(0).forEach((answer) => answer()),
    identityWindowMs: DEFAULT_IDENTITY_WINDOW_MS,
    refused,
    get peakConcurrency() {
      return peakConcurrency;
    },
  };
  const server = createServer(async (request, response) => {
    peakConcurrency = Math.max(peakConcurrency, ++concurrency);
    response.once('close', () => concurrency--);
    let text = '';
    for await (const chunk of request) text += chunk;
    const { query, variables } = JSON.parse(text) as { query: string; variables?: Record<string, unknown> };
    const identity = verifyIdentity(
      { headers: request.headers, method: 'POST', path: request.url ?? '/', body: text },
      { secret: IDENTITY_SECRET, audience: name, windowMs: fixture.identityWindowMs },
    );
    if (!identity.ok) {
      refused.push(identity.reason);
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: identity.reason }));
      return;
    }
    const { principal } = identity;
    let answer: Answer = {};
    if (query !== PROBE) {
      fixture.calls.push({ at: Date.now(), headers: request.headers, query, principal });
      answer = queue.shift() ?? fixture.otherwise;
    }
    if (answer === 'hold') {
      await new Promise<void>((resolve) => held.push(resolve));
      answer = {};
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const status = answer.status ?? 200;
    const result =
      status === 200
        ? await graphql({ schema, source: query, variableValues: variables, contextValue: principal })
        : { errors: [{ message: 'unavailable' }] };
    if (response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { fixture, server, url: `http://127.0.0.1:${port}/graphql`, sdl };
}

export async function startTrafficPlatform(names: string[], gatewayEnv: Record<string, string> = {}): Promise<TrafficPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'traffic-test-'));
  const started = await Promise.all(names.map(startFixture));
  const lines = ['federation_version: =2.9.0', 'subgraphs:'];
  for (const { fixture, url, sdl } of started) {
    const schemaFile = join(dataDir, `${fixture.name}.graphql`);
    writeFileSync(schemaFile, sdl);
    lines.push(`  ${fixture.name}:`, `    routing_url: ${url}`, '    schema:', `      file: ${schemaFile}`);
  }
  writeFileSync(join(dataDir, 'supergraph.yaml'), `${lines.join('\n')}\n`);
  let gateway: GatewayService | undefined;
  const stop = async () => {
    for (const { fixture } of started) fixture.release();
    await gateway?.stop();
    for (const { server } of started) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config = parseGatewayConfig({
      DATA_DIR: dataDir,
      SUPERGRAPH_CONFIG: join(dataDir, 'supergraph.yaml'),
      IDENTITY_SECRET,
      ...gatewayEnv,
    });
    gateway = await buildGateway(config, {
      logger: silentLogger,
      authenticate: async (request) => {
        const user = request.headers['x-test-user'];
        return typeof user === 'string' ? { kind: 'user', userId: user, roles: {} } : ANONYMOUS;
      },
    });
    const gatewayUrl = `${await gateway.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
    const metricsUrl = `${await gateway.metricsApp!.listen({ host: '127.0.0.1', port: 0 })}/metrics`;
    const origin = new URL(gatewayUrl).origin;
    return {
      subgraphs: Object.fromEntries(started.map(({ fixture }) => [fixture.name, fixture])),
      gateway,
      gatewayUrl,
      query: (query, { user, headers = {}, variables } = {}) =>
        postGraphQL(gatewayUrl, query, variables, { ...headers, ...(user ? { 'x-test-user': user } : {}) }),
      metric: async (name, labels) => (await scrape(metricsUrl)).value(name, labels),
      ready: async () => (await (await fetch(`${origin}/ready`)).json()) as { status: string; circuits: Record<string, string> },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
