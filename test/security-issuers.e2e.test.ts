/**
 * Configured credential issuers: a Dalet token goes to the dalet issuer by its `iss`, is verified against
 * that issuer's JWKS (RS512) and resolved by its service over HTTP; its principal may call only the dalet
 * subgraph's fields, and accounts' principals every subgraph's but dalet's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseGatewayConfig } from '../gateway/config.ts';
import { DEFAULT_ISSUERS } from '../gateway/pipeline/credential-issuers.ts';
import { daletIssuer, type DaletIssuer } from './helpers/dalet-issuer.ts';
import { ADMIN_KEY, startSecurityPlatform, type SecurityPlatform } from './helpers/security-platform.ts';

describe('credential issuers', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'issuers-'));
  let dalet: DaletIssuer;
  let platform: SecurityPlatform;

  beforeAll(async () => {
    dalet = await daletIssuer(schemaDir);
    platform = await startSecurityPlatform({ extraSubgraphs: [dalet.definition] });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  it('accepts a Dalet token for the dalet subgraph, resolved by the dalet service, with the issuer stamped by the gateway', async () => {
    const token = await dalet.token('dalet-user-1', { tokenId: 'tid-1' });
    expect(await platform.ok(token, '{ dalet_whoami }')).toEqual({ dalet_whoami: 'dalet-user-1 of dalet' });
    expect(dalet.asked).toContainEqual({ userId: 'dalet-user-1', tokenId: 'tid-1' });
  });

  it('refuses a Dalet principal on a field of accounts, as unauthenticated there', async () => {
    const token = await dalet.token('dalet-user-2');
    const { body } = await platform.as(token, '{ dalet_whoami get_me { id } }');
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toEqual({
      path: ['get_me'],
      message: 'Credentials of the issuer "dalet" cannot be used for field "Query.get_me"',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses an accounts key on a field of dalet', async () => {
    const { body } = await platform.as(ADMIN_KEY, '{ dalet_whoami }');
    expect(body.data).toBeNull();
    // In the shape of the field's owner: Dalet's.
    expect(body.errors?.[0]).toEqual({
      path: ['dalet_whoami'],
      message: 'Credentials of the issuer "accounts" cannot be used for field "Query.dalet_whoami"',
      extensions: { errorCode: 'AuthenticationError', classification: 'ExecutionAborted' },
    });
    expect((await platform.ok(ADMIN_KEY, '{ list_role_permissions { id } }')).list_role_permissions.length).toBeGreaterThan(0);
  });

  it('answers an anonymous call of a Dalet field in the Dalet shape', async () => {
    const { body } = await platform.query('{ dalet_whoami }');
    expect(body.errors?.[0]).toMatchObject({
      path: ['dalet_whoami'],
      extensions: { errorCode: 'AuthenticationError', classification: 'ExecutionAborted' },
    });
  });

  it('refuses a revoked Dalet token, one signed with another key or algorithm, and a token of an issuer not configured, in the Dalet shape for a Dalet operation', async () => {
    const refused = async (token: string) => {
      const { body } = await platform.as(token, '{ dalet_whoami }');
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions).toEqual({ errorCode: 'AuthenticationError', classification: 'ExecutionAborted' });
      // The same refusal for an operation of accounts' fields is in Cognitive Cloud's shape.
      expect((await platform.as(token, '{ get_me { id } }')).body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    };
    dalet.revoked.add('tid-revoked');
    await refused(await dalet.token('dalet-user-3', { tokenId: 'tid-revoked' }));
    const stranger = await generateKeyPair('RS512', { modulusLength: 2048 });
    await refused(await dalet.token('dalet-user-3', { key: stranger.privateKey }));
    const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    await refused(await dalet.token('dalet-user-3', { key: ed.privateKey, alg: 'EdDSA' }));
    await refused(await dalet.token('dalet-user-3', { iss: 'somebody-else' }));
    const metrics = await (await fetch(platform.metricsUrl)).text();
    expect(metrics).toMatch(/gateway_auth_failures_total\{reason="unknown_issuer"\} [1-9]/);
  });
});

describe('AUTH_ISSUERS', () => {
  const accounts = {
    name: 'accounts',
    token: { iss: 'accounts', algorithms: ['EdDSA'], resolve: '/internal/authenticate/user' },
    apiKeys: { resolve: '/internal/authenticate/api-key' },
    subgraphs: { except: ['dalet'] },
  };

  it('defaults to accounts and dalet, and ACCOUNTS_URL still moves accounts', () => {
    expect(parseGatewayConfig({}).authIssuers).toEqual(DEFAULT_ISSUERS);
    const moved = parseGatewayConfig({ ACCOUNTS_URL: 'http://accounts.internal:8080' }).authIssuers;
    expect(moved.find((issuer) => issuer.name === 'accounts')?.url).toBe('http://accounts.internal:8080');
    expect(moved.find((issuer) => issuer.name === 'dalet')?.url).toBeUndefined();
  });

  it('takes a JSON array of issuers, filling in the defaults of each', () => {
    const [issuer] = parseGatewayConfig({ AUTH_ISSUERS: JSON.stringify([accounts]) }).authIssuers;
    expect(issuer).toEqual({
      ...accounts,
      subgraph: 'accounts',
      token: { ...accounts.token, jwks: '/.well-known/jwks.json' },
      apiKeys: { ...accounts.apiKeys, maxLength: 1024 },
    });
  });

  it.each([
    ['not json', /JSON array/],
    ['[]', /at least one issuer/],
    [JSON.stringify([{ ...accounts, name: 'a b' }]), /AUTH_ISSUERS\[0\]\.name/],
    [JSON.stringify([{ ...accounts, token: { ...accounts.token, algorithms: ['HS256'] } }]), /AUTH_ISSUERS\[0\]\.token\.algorithms/],
    [JSON.stringify([{ ...accounts, token: { ...accounts.token, jwks: 'ftp://x' } }]), /AUTH_ISSUERS\[0\]\.token\.jwks/],
    [JSON.stringify([{ ...accounts, token: { ...accounts.token, resolve: 'internal' } }]), /AUTH_ISSUERS\[0\]\.token\.resolve/],
    [JSON.stringify([{ ...accounts, subgraphs: { only: ['a'], except: ['b'] } }]), /AUTH_ISSUERS\[0\]\.subgraphs/],
    [JSON.stringify([{ ...accounts, url: 'nowhere' }]), /AUTH_ISSUERS\[0\]\.url/],
    [JSON.stringify([accounts, { ...accounts, name: 'other' }]), /iss "accounts"/],
    [JSON.stringify([accounts, accounts]), /names the issuer "accounts" twice/],
    [JSON.stringify([accounts, { ...accounts, name: 'b', token: { ...accounts.token, iss: 'b' } }]), /apiKeys to one issuer only/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseGatewayConfig({ AUTH_ISSUERS: raw })).toThrow(ConfigError);
    expect(() => parseGatewayConfig({ AUTH_ISSUERS: raw })).toThrow(message);
  });
});
