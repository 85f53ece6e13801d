/**
 * An accounts outage, with accounts really stopped: a credential accepted lately keeps working for a
 * bounded time, any other is answered with a retryable 503 (not UNAUTHENTICATED, which tells a client to
 * throw its credential away), and nothing reaches a subgraph.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedSubgraph } from './helpers/secured-subgraph.ts';
import { ADMIN_KEY, startSecurityPlatform, type SecurityPlatform } from './helpers/security-platform.ts';

describe('authentication while accounts is down', () => {
  const schemaDir = mkdtempSync(join(tmpdir(), 'secured-schema-'));
  const secured = securedSubgraph(schemaDir);
  let platform: SecurityPlatform;
  let token: string;

  beforeAll(async () => {
    // No fresh-answer cache: every request asks accounts, so only the stale-if-error rule can answer.
    platform = await startSecurityPlatform({ extraSubgraphs: [secured.definition], gatewayEnv: { AUTH_CACHE_TTL_MS: '0' } });
    token = await platform.login('ada@example.com');
    expect((await platform.ok(ADMIN_KEY, '{ signed_in }')).signed_in).toBe('signed in');
    expect((await platform.ok(token, '{ signed_in }')).signed_in).toBe('signed in');
    await platform.subgraphs.accounts!.stop();
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  it('keeps serving a key and a token accepted within AUTH_STALE_IF_ERROR_MS', async () => {
    expect((await platform.ok(ADMIN_KEY, '{ signed_in admins_only }')).admins_only).toBe('admins only');
    expect((await platform.ok(token, '{ signed_in }')).signed_in).toBe('signed in');
  });

  it('answers a credential it cannot check with HTTP 503, AUTHENTICATION_UNAVAILABLE and Retry-After, calling no subgraph', async () => {
    const before = secured.calls();
    const { status, headers, body } = await platform.as('cc_a-key-never-seen-before', '{ open }');
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('5');
    expect(body).toEqual({
      errors: [
        {
          message: 'Credentials could not be checked just now; try again',
          extensions: { code: 'AUTHENTICATION_UNAVAILABLE', retryAfter: 5 },
        },
      ],
    });
    expect(secured.calls()).toBe(before);
  });

  it('still serves anonymous callers what is public', async () => {
    expect((await platform.query('{ open }')).body).toEqual({ data: { open: 'open' } });
  });
});
