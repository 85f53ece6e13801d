/**
 * Reads `supergraph.yaml` in rover's supergraph-config format:
 *
 *   federation_version: =2.9.0
 *   subgraphs:
 *     accounts:
 *       routing_url: http://127.0.0.1:${env.ACCOUNTS_PORT:-4001}/graphql
 *       schema:
 *         file: ./subgraphs/accounts/schema.graphql    # or: subgraph_url: http://.../graphql
 *
 * `${env.NAME}` and `${env.NAME:-default}` are expanded as rover does. Schema files are resolved against
 * the folder of the YAML file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export type SubgraphSchemaSource = { file: string } | { subgraphUrl: string };

export interface SubgraphConfig {
  name: string;
  routingUrl: string;
  schema: SubgraphSchemaSource;
}

export interface SupergraphConfig {
  federationVersion: string;
  subgraphs: SubgraphConfig[];
}

export class SupergraphConfigError extends Error {}

function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{env\.([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new SupergraphConfigError(`supergraph config uses \${env.${name}}, which is not set and has no default`);
  });
}

function requireUrl(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new SupergraphConfigError(`${field} must be a URL string`);
  try {
    new URL(value);
  } catch {
    throw new SupergraphConfigError(`${field} is not a valid URL: ${value}`);
  }
  return value;
}

export function parseSupergraphConfig(text: string, baseDir: string, env: NodeJS.ProcessEnv = process.env): SupergraphConfig {
  const raw = parseYaml(expandEnv(text, env)) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') throw new SupergraphConfigError('supergraph config is empty');
  const federationVersion = String(raw.federation_version ?? '2');
  if (!/^=?2(\.\d+){0,2}$/.test(federationVersion)) {
    throw new SupergraphConfigError(`federation_version must be a Federation 2 version such as "=2.9.0", got "${federationVersion}"`);
  }
  const entries = raw.subgraphs;
  if (!entries || typeof entries !== 'object' || Object.keys(entries).length === 0) {
    throw new SupergraphConfigError('subgraphs must map at least one subgraph name to its routing_url and schema');
  }

  const subgraphs = Object.entries(entries as Record<string, Record<string, unknown>>).map(([name, entry]): SubgraphConfig => {
    const field = `subgraphs.${name}`;
    const routingUrl = requireUrl(entry?.routing_url, `${field}.routing_url`);
    const schema = (entry?.schema ?? {}) as Record<string, unknown>;
    if (typeof schema.file === 'string') return { name, routingUrl, schema: { file: resolve(baseDir, schema.file) } };
    if (schema.subgraph_url !== undefined) {
      return { name, routingUrl, schema: { subgraphUrl: requireUrl(schema.subgraph_url, `${field}.schema.subgraph_url`) } };
    }
    throw new SupergraphConfigError(`${field}.schema must have "file" or "subgraph_url"`);
  });
  return { federationVersion, subgraphs };
}

export function readSupergraphConfig(path: string, env: NodeJS.ProcessEnv = process.env): SupergraphConfig {
  return parseSupergraphConfig(readFileSync(path, 'utf8'), dirname(resolve(path)), env);
}
