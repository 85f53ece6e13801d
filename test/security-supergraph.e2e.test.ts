import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forApolloGateway } from '../gateway/pipeline/authorization/security-links.ts';
import { composeSupergraph } from '../gateway/supergraph/composition.ts';
import { SECURED_SDL, securedSubgraph } from './helpers/secured-subgraph.ts';
import { startPlatform, type Platform } from './helpers/platform.ts';

function composedSecuredSupergraph(): string {
  const outcome = composeSupergraph([{ name: 'secured', url: 'http://127.0.0.1:1/graphql', sdl: SECURED_SDL }]);
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  return outcome.supergraphSdl;
}

describe('SECURITY supergraphs', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  afterAll(() => rmSync(schemaDir, { recursive: true, force: true }));

  it('are what composition makes of @authenticated / @requiresScopes, and what ApolloGateway alone refuses', async () => {
    const supergraphSdl = composedSecuredSupergraph();
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    const vanilla = new ApolloGateway({ supergraphSdl });
    await expect(vanilla.load()).rejects.toThrow(/for: SECURITY but is unsupported/);
  });

  it('are handed to ApolloGateway without that purpose, every directive application kept', () => {
    const copy = forApolloGateway(composedSecuredSupergraph());
    expect(copy).not.toContain('for: SECURITY');
    expect(copy).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1")');
    expect(copy).toContain('signed_in: String @authenticated');
    expect(copy).toContain('admins_only: String @requiresScopes(scopes: [["ADMIN"]])');
  });

  it('still refuse a SECURITY feature the gateway does not enforce (@policy)', () => {
    const withPolicy = composedSecuredSupergraph().replace(
      '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
      '$&\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
    );
    expect(forApolloGateway(withPolicy)).toContain('@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)');
  });

  describe('load and serve', () => {
    let composed: Platform;
    let fromFile: Platform;
    beforeAll(async () => {
      composed = await startPlatform({ subgraphs: [securedSubgraph(schemaDir).definition] });
      const supergraphPath = join(schemaDir, 'supergraph.graphql');
      const outcome = composeSupergraph([{ name: 'secured', url: composed.subgraphUrls.secured!, sdl: SECURED_SDL }]);
      if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
      writeFileSync(supergraphPath, outcome.supergraphSdl);
      fromFile = await startPlatform({ subgraphs: [], gatewayEnv: { SUPERGRAPH_PATH: supergraphPath } });
    });
    afterAll(async () => {
      await composed?.stop();
      await fromFile?.stop();
    });

    it('composed from supergraph.yaml', async () => {
      const { body } = await composed.query('{ open }');
      expect(body).toEqual({ data: { open: 'open' } });
    });

    it('read from SUPERGRAPH_PATH', async () => {
      const { body } = await fromFile.query('{ open }');
      expect(body).toEqual({ data: { open: 'open' } });
    });
  });
});
