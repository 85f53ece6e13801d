/**
 * The platform with the accounts subgraph, for the accounts tests: the real gateway (its authentication
 * checks `Authorization: Bearer <API key or JWT>` with accounts), plus helpers to call as someone, to call
 * accounts' internal routes as the gateway does, and to read the outbox.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { postSigned, startPlatform, type GraphQLResponse, type Platform, type PlatformOptions } from './platform.ts';

export const ADMIN_KEY = 'test-bootstrap-admin-key-0123456789';

export interface AccountsPlatform extends Platform {
  accountsOrigin: string;
  /** Runs a query with `Authorization: Bearer <credential>`. */
  as(credential: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Like `as`, but fails the test on any error and returns `data`. */
  ok(credential: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** POSTs to an accounts /internal route as the gateway does. */
  internal(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** The id of the bootstrapped project. */
  projectId: string;
  /** The text of every .eml in the outbox, oldest first. */
  outbox(): string[];
}

export interface AccountsPlatformOptions {
  /** Subgraphs started beside accounts, e.g. billing. */
  extraSubgraphs?: PlatformOptions['subgraphs'];
  gatewayEnv?: Record<string, string>;
}

export async function startAccountsPlatform(
  subgraphEnv: Record<string, string> = {},
  options: AccountsPlatformOptions = {},
): Promise<AccountsPlatform> {
  const platform = await startPlatform({
    subgraphs: ['accounts', ...(options.extraSubgraphs ?? [])],
    subgraphEnv: { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, ...subgraphEnv },
    // These tests count accounts' own login rules (5 tries per code); the gateway's login limit has its own tests.
    gatewayEnv: { LOGIN_RATE_LIMIT: '1000', ...options.gatewayEnv },
  });
  const accountsOrigin = new URL(platform.subgraphUrls.accounts!).origin;
  const internal = async (path: string, body: unknown) =>
    (await postSigned(`${accountsOrigin}${path}`, 'accounts', body)) as { status: number; body: any };
  const as = (credential: string, query: string, variables?: Record<string, unknown>) =>
    platform.query(query, variables, { authorization: `Bearer ${credential}` });
  const project = await platform.subgraphs.accounts!.store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
  const outboxDir = join(platform.dataDir, 'outbox');

  return {
    ...platform,
    accountsOrigin,
    as,
    async ok(credential, query, variables) {
      const { body } = await as(credential, query, variables);
      expect(body.errors).toBeUndefined();
      return body.data;
    },
    internal,
    projectId: project.id,
    outbox: () =>
      readdirSync(outboxDir)
        .filter((file) => file.endsWith('.eml'))
        .sort()
        .map((file) => readFileSync(join(outboxDir, file), 'utf8')),
  };
}

/** The code of the newest login email to `email` in the outbox. */
export function latestCode(platform: AccountsPlatform, email: string): string {
  const message = platform
    .outbox()
    .reverse()
    .find((eml) => eml.includes(`To: ${email}`));
  const code = message && /login code is (\d{6})/.exec(message)?.[1];
  if (!code) throw new Error(`no login email to ${email} in the outbox`);
  return code;
}

/** Logs `email` in through the gateway as a client would: send_email_otp, read the email, login_with_email_otp. */
export async function login(platform: AccountsPlatform, email: string): Promise<string> {
  const sent = await platform.query('mutation ($email: String!) { send_email_otp(email: $email) }', { email });
  expect(sent.body).toEqual({ data: { send_email_otp: true } });
  const otp = Number(latestCode(platform, email));
  const { body } = await platform.query('query ($email: String!, $otp: Float!) { login_with_email_otp(email: $email, otp: $otp) }', {
    email,
    otp,
  });
  expect(body.errors).toBeUndefined();
  return body.data.login_with_email_otp;
}
