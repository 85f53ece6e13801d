/**
 * Starts real services for end-to-end tests: the chosen subgraphs and a gateway in front of them, each on
 * port 0 over a fresh DATA_DIR, through the same build functions the entry points use. `stop()` closes
 * everything and removes the data.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { buildGateway, type GatewayService } from '../../gateway/build-gateway.ts';
import { parseGatewayConfig } from '../../gateway/config.ts';
import { buildSubgraph, readSubgraphSdl, type SubgraphDefinition, type SubgraphService } from '../../subgraphs/kit/build-subgraph.ts';
import { signedRequestHeaders, SYSTEM, type Principal } from '../../core/identity.ts';
import { createLogger } from '../../core/logger.ts';

export const IDENTITY_SECRET = 'test-identity-secret';
export const silentLogger = createLogger('silent');

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

export interface Platform {
  dataDir: string;
  gatewayUrl: string;
  /** The gateway's `/metrics`: its own server listening on port 0, or beside `/graphql` when METRICS_PORT equals PORT. */
  metricsUrl: string;
  /** Where each subgraph listens, e.g. `subgraphUrls.accounts`. */
  subgraphUrls: Record<string, string>;
  subgraphs: Record<string, SubgraphService<any>>;
  gateway: GatewayService;
  /** The supergraph config the gateway composes; tests may rewrite the schema files it names. */
  supergraphConfigPath: string;
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** Subgraphs by folder name under subgraphs/, or definitions made by the test. */
  subgraphs: (string | SubgraphDefinition<any>)[];
  /** Where the gateway logs; silent by default. */
  logger?: Logger;
  /** Environment of the gateway (PORT, DATA_DIR and SUPERGRAPH_CONFIG are set by the helper). */
  gatewayEnv?: Record<string, string>;
  /** Settings given to every subgraph (e.g. BOOTSTRAP_ADMIN_KEY). */
  subgraphEnv?: Record<string, string>;
  /** Replaces the gateway's authentication. */
  authenticate?: (request: FastifyRequest) => Promise<Principal>;
  /** Copy each subgraph's schema into the data folder so that a test may change it. */
  copySchemas?: boolean;
}

export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

export interface SignedPostOptions {
  /** Default the system identity. */
  principal?: Principal;
  /** Default IDENTITY_SECRET. */
  secret?: string;
  /** Added after the identity headers, e.g. to tamper with them. */
  headers?: Record<string, string>;
}

/** POSTs `payload` as JSON to the service `audience`, signed for this very request as a caller of ours would. */
export async function postSigned(
  url: string,
  audience: string,
  payload: unknown,
  options: SignedPostOptions = {},
): Promise<GraphQLResponse> {
  const body = JSON.stringify(payload);
  const { pathname, search } = new URL(url);
  const identity = signedRequestHeaders({
    principal: options.principal ?? SYSTEM,
    audience,
    path: `${pathname}${search}`,
    body,
    secret: options.secret ?? IDENTITY_SECRET,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...identity, ...options.headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

async function definitionOf(subgraph: string | SubgraphDefinition<any>): Promise<SubgraphDefinition<any>> {
  if (typeof subgraph !== 'string') return subgraph;
  return ((await import(`../../subgraphs/${subgraph}/index.ts`)) as { definition: SubgraphDefinition<unknown> }).definition;
}

export async function startSubgraph(
  subgraph: string | SubgraphDefinition<any>,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ service: SubgraphService<any>; url: string; definition: SubgraphDefinition<any> }> {
  const definition = await definitionOf(subgraph);
  const service = await buildSubgraph(definition, { dataDir, identitySecret: IDENTITY_SECRET, logger: silentLogger, env });
  const address = await service.app.listen({ host: '127.0.0.1', port: 0 });
  return { service, url: `${address}/graphql`, definition };
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-test-'));
  const subgraphs: Record<string, SubgraphService<any>> = {};
  const subgraphUrls: Record<string, string> = {};
  let gateway: GatewayService | undefined;

  const stop = async () => {
    await gateway?.stop();
    await Promise.all(Object.values(subgraphs).map((service) => service.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const lines = ['federation_version: =2.9.0', 'subgraphs:'];
    for (const subgraph of options.subgraphs) {
      const started = await startSubgraph(subgraph, dataDir, options.subgraphEnv);
      const name = started.definition.name;
      subgraphs[name] = started.service;
      subgraphUrls[name] = started.url;
      const { schemaUrl } = started.definition;
      // A copy, or several SDL files (defineSubgraph), are written as the one document the subgraph serves.
      let schemaFile = join(dataDir, `${name}.graphql`);
      if (schemaUrl instanceof URL && !options.copySchemas) schemaFile = fileURLToPath(schemaUrl);
      else writeFileSync(schemaFile, readSubgraphSdl(started.definition));
      lines.push(`  ${name}:`, `    routing_url: ${started.url}`, '    schema:', `      file: ${schemaFile}`);
    }
    const supergraphConfigPath = join(dataDir, 'supergraph.yaml');
    writeFileSync(supergraphConfigPath, `${lines.join('\n')}\n`);

    const config = parseGatewayConfig({
      DATA_DIR: dataDir,
      SUPERGRAPH_CONFIG: supergraphConfigPath,
      IDENTITY_SECRET,
      ...options.gatewayEnv,
    });
    gateway = await buildGateway(config, { logger: options.logger ?? silentLogger, authenticate: options.authenticate });
    const gatewayUrl = `${await gateway.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
    const metricsUrl = gateway.metricsApp
      ? `${await gateway.metricsApp.listen({ host: '127.0.0.1', port: 0 })}/metrics`
      : gatewayUrl.replace(/graphql$/, 'metrics');

    return {
      dataDir,
      gatewayUrl,
      metricsUrl,
      subgraphUrls,
      subgraphs,
      gateway,
      supergraphConfigPath,
      query: (query, variables, headers) => postGraphQL(gatewayUrl, query, variables, headers),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
