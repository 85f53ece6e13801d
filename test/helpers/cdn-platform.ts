/**
 * The platform with accounts and cdn for the CDN tests: API keys of each role in the bootstrapped project,
 * a config builder, and a local origin server that records what reached it.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_KEY, startAccountsPlatform, type AccountsPlatform } from './accounts-platform.ts';

export interface CdnPlatform extends AccountsPlatform {
  keys: { ADMIN: string; DEVELOPER: string; READONLY: string; FINANCE: string };
}

export async function startCdnPlatform(env: Record<string, string> = {}): Promise<CdnPlatform> {
  const platform = await startAccountsPlatform(
    { CDN_DOMAIN: 'cdn.test', ...env },
    { extraSubgraphs: ['cdn'], gatewayEnv: { AUTH_CACHE_TTL_MS: '0' } },
  );
  const keys = { ADMIN: ADMIN_KEY } as CdnPlatform['keys'];
  for (const role of ['DEVELOPER', 'READONLY', 'FINANCE'] as const) {
    const data = await platform.ok(
      ADMIN_KEY,
      'mutation ($role: Role, $project: String!) { create_api_key(role: $role, name: "cdn test", project_id: $project) }',
      { role, project: platform.projectId },
    );
    keys[role] = data.create_api_key;
  }
  return { ...platform, keys };
}

export const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
export const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

export function behavior(path_pattern: string, target_origin_id: string, extra: Record<string, unknown> = {}) {
  return {
    path_pattern,
    target_origin_id,
    viewer_protocol_policy: 'allow_all',
    allowed_methods: { items: ['GET', 'HEAD'], cached_methods: ['GET', 'HEAD'] },
    cache_policy_id: CACHING_OPTIMIZED,
    ...extra,
  };
}

export function origin(id: string, port: number, extra: Record<string, unknown> = {}) {
  return { id, domain_name: '127.0.0.1', custom_origin_http_port: port, custom_origin_origin_protocol_policy: 'http_only', ...extra };
}

export function distributionConfig(port: number, extra: Record<string, unknown> = {}) {
  return {
    comment: 'test distribution',
    enabled: true,
    errorResponses: [],
    distribution_aliases: [],
    origins: [origin('main', port)],
    cache_behaviors: [behavior('*', 'main')],
    ...extra,
  };
}

export const CREATE = `mutation ($config: DistributionConfigInput!, $project: String!) {
  create_distribution(config: $config, project_id: $project) { id arn status domain_name last_modified_time
    config { caller_reference enabled default_root_object origins { id domain_name } cache_behaviors { path_pattern target_origin_id } } }
}`;

export interface OriginServer {
  port: number;
  /** Every request the origin saw: method and URL. */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** A local origin: `handle` answers; every request is recorded. */
export async function startOrigin(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<OriginServer> {
  const requests: OriginServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface EdgeAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request to the edge with a Host header (fetch does not let a caller set Host). */
export function edgeRequest(
  port: number,
  host: string,
  path: string,
  { method = 'GET', body, headers = {} }: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path, method, headers: { ...headers, host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () =>
        resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      answer.on('error', reject);
    });
    call.on('error', reject);
    call.end(body);
  });
}
