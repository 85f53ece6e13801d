/**
 * The platform with the dalet subgraph, for the Dalet tests: the real gateway in front of it, `login`
 * through the gateway, and `as(token, ...)`, which sends a query as the holder of a Dalet token.
 *
 * Until the gateway accepts Dalet tokens (branch gateway-identity), `as` does what the gateway will do:
 * it asks dalet's /internal/authenticate/user about the token's user and jti, signs the principal it
 * answers and sends the query to the subgraph. Set THROUGH_GATEWAY to true once it does: every Dalet
 * test then runs through the gateway with `Authorization: Bearer <token>` and nothing else changes.
 */
import { decodeJwt } from 'jose';
import { expect } from 'vitest';
import { postSigned, startPlatform, type GraphQLResponse, type Platform } from './platform.ts';

export const THROUGH_GATEWAY = true;

interface AnsweredError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: Record<string, unknown>;
}

/** Error extensions as `as` answers them: through the gateway they also name the subgraph. */
export function answeredExtensions(extensions: Record<string, unknown>): Record<string, unknown> {
  return THROUGH_GATEWAY ? { ...extensions, serviceName: 'dalet' } : extensions;
}

/** A response as `as` answers it: through the gateway, errors lose their locations (they point into the subgraph's query). */
export function answeredBody<T extends { errors?: AnsweredError[] }>(body: T): T {
  if (!THROUGH_GATEWAY || !body.errors) return body;
  return {
    ...body,
    errors: body.errors.map(({ locations: _dropped, ...error }) => ({ ...error, extensions: answeredExtensions(error.extensions) })),
  };
}

export const ADMIN_LOGIN = 'test_admin';
export const ADMIN_PASSWORD = 'test-admin-password';

export interface DaletPlatform extends Platform {
  daletOrigin: string;
  /** `login` through the gateway; the token, or fails the test. */
  login(username: string, password: string): Promise<string>;
  /** Runs a query as the holder of `token`. */
  as(token: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Like `as`, but fails the test on any error and returns `data`. */
  ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** POSTs to a dalet /internal route as the gateway does. */
  internal(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** The bootstrap administrator's token. */
  adminToken: string;
  /** Creates a user (as the administrator) and logs them in. */
  newUser(login: string): Promise<{ id: string; token: string }>;
}

export async function startDaletPlatform(
  subgraphEnv: Record<string, string> = {},
  gatewayEnv: Record<string, string> = {},
): Promise<DaletPlatform> {
  const platform = await startPlatform({
    subgraphs: ['dalet'],
    subgraphEnv: { DALET_BOOTSTRAP_USER: ADMIN_LOGIN, DALET_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD, ...subgraphEnv },
    gatewayEnv: { LOGIN_RATE_LIMIT: '1000', ...gatewayEnv },
  });
  const daletOrigin = new URL(platform.subgraphUrls.dalet!).origin;
  const internal = async (path: string, body: unknown) => {
    const { status, body: answer } = await postSigned(`${daletOrigin}${path}`, 'dalet', body);
    return { status, body: answer as any };
  };
  const as = async (token: string, query: string, variables?: Record<string, unknown>) => {
    if (THROUGH_GATEWAY) return platform.query(query, variables, { authorization: `Bearer ${token}` });
    // As the gateway asks: the token's `sub` and `jti`.
    const { sub, jti } = decodeJwt(token);
    const verdict = await internal('/internal/authenticate/user', { userId: sub, tokenId: jti });
    const principal = verdict.status === 200 ? verdict.body.principal : { kind: 'anonymous' };
    return postSigned(platform.subgraphUrls.dalet!, 'dalet', { query, variables }, { principal });
  };
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const { body } = await as(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const login = async (username: string, password: string) => {
    const { body } = await platform.query('mutation ($input: LoginInput!) { login(input: $input) { token } }', {
      input: { username, password },
    });
    expect(body.errors).toBeUndefined();
    return body.data.login.token as string;
  };
  const adminToken = await login(ADMIN_LOGIN, ADMIN_PASSWORD);
  return {
    ...platform,
    daletOrigin,
    login,
    as,
    ok,
    internal,
    adminToken,
    async newUser(userLogin) {
      const created = await ok(adminToken, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }', {
        input: { login: userLogin, firstName: 'Test', lastName: userLogin, password: `${userLogin}-password` },
      });
      return { id: created.createUser.user.id, token: await login(userLogin, `${userLogin}-password`) };
    },
  };
}
