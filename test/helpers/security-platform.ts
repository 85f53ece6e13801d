/**
 * The platform as clients meet it, for the security tests: accounts and billing (plus any subgraph the test
 * adds) behind a gateway that authenticates for real (gateway/pipeline/authentication.ts, no replacement), with the
 * bootstrap ADMIN key and a login signing key the test knows, so that it can also forge and expire tokens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type CryptoKey } from 'jose';
import { expect } from 'vitest';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';
import { startPlatform, type GraphQLResponse, type Platform } from './platform.ts';

export const ADMIN_KEY = 'security-test-bootstrap-admin-key-0123456789';

/** Limits high enough that the rate limits never answer for the security tests. */
const UNLIMITED = 'anonymous=1000000,authenticated=1000000,READONLY=1000000,FINANCE=1000000,DEVELOPER=1000000,ADMIN=1000000';

export interface SecurityPlatform extends Platform {
  /** The bootstrapped project, where ADMIN_KEY is ADMIN. */
  projectId: string;
  /** The key that signs login tokens, and its `kid`. */
  signingKey: { privateKey: CryptoKey; kid: string };
  /** Runs a query with `Authorization: Bearer <credential>`. */
  as(credential: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Like `as`, but fails the test on any error and returns `data`. */
  ok(credential: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** Logs `email` in through the gateway (code from the outbox) and returns the token. */
  login(email: string): Promise<string>;
}

export interface SecurityPlatformOptions {
  extraSubgraphs?: SubgraphDefinition<any>[];
  gatewayEnv?: Record<string, string>;
}

export async function newSigningKey(): Promise<{ privateKey: CryptoKey; kid: string; pem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { privateKey, kid: await calculateJwkThumbprint(await exportJWK(publicKey)), pem: await exportPKCS8(privateKey) };
}

export async function startSecurityPlatform(options: SecurityPlatformOptions = {}): Promise<SecurityPlatform> {
  const signingKey = await newSigningKey();
  const platform = await startPlatform({
    subgraphs: ['accounts', 'billing', ...(options.extraSubgraphs ?? [])],
    subgraphEnv: { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, JWT_PRIVATE_KEY: signingKey.pem },
    gatewayEnv: { RATE_LIMITS: UNLIMITED, LOGIN_RATE_LIMIT: '1000000', ...options.gatewayEnv },
  });
  const as = (credential: string, query: string, variables?: Record<string, unknown>) =>
    platform.query(query, variables, { authorization: `Bearer ${credential}` });
  const project = await platform.subgraphs.accounts!.store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
  const outboxDir = join(platform.dataDir, 'outbox');

  const latestCode = (email: string): number => {
    const messages = readdirSync(outboxDir)
      .filter((file) => file.endsWith('.eml'))
      .sort()
      .reverse();
    for (const file of messages) {
      const eml = readFileSync(join(outboxDir, file), 'utf8');
      const code = eml.includes(`To: ${email}`) && /login code is (\d{6})/.exec(eml)?.[1];
      if (code) return Number(code);
    }
    throw new Error(`no login email to ${email} in the outbox`);
  };

  return {
    ...platform,
    projectId: project.id,
    signingKey,
    as,
    async ok(credential, query, variables) {
      const { body } = await as(credential, query, variables);
      expect(body.errors).toBeUndefined();
      return body.data;
    },
    async login(email) {
      const sent = await platform.query('mutation ($email: String!) { send_email_otp(email: $email) }', { email });
      expect(sent.body).toEqual({ data: { send_email_otp: true } });
      const { body } = await platform.query('query ($email: String!, $otp: Float!) { login_with_email_otp(email: $email, otp: $otp) }', {
        email,
        otp: latestCode(email),
      });
      expect(body.errors).toBeUndefined();
      return body.data.login_with_email_otp;
    },
  };
}
