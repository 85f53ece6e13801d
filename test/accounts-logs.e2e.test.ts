/** Secrets of accounts (login codes, tokens, API keys, upload signatures) never reach its logs. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, expect, it, vi } from 'vitest';
import { definition } from '../subgraphs/accounts/index.ts';
import { buildSubgraph } from '../subgraphs/kit/build-subgraph.ts';
import type { Principal } from '../core/identity.ts';
import { captureLogs } from './helpers/logs.ts';
import { IDENTITY_SECRET, postSigned } from './helpers/platform.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'accounts-logs-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('logs what happened, never a code, token, key or signature', async () => {
  const printed: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  const logs = captureLogs();
  const service = await buildSubgraph(definition, { dataDir, identitySecret: IDENTITY_SECRET, logger: logs.logger, env: {} });
  stdout.mockRestore();
  try {
    const origin = await service.app.listen({ host: '127.0.0.1', port: 0 });
    const as = (principal: Principal, query: string, variables?: Record<string, unknown>) =>
      postSigned(`${origin}/graphql`, 'accounts', { query, variables }, { principal });
    const key = /: (cc_\S+)/.exec(printed.join(''))![1]!;

    await as({ kind: 'anonymous' }, 'mutation { send_email_otp(email: "secretive@example.com") }');
    const eml = readdirSync(join(dataDir, 'outbox')).map((file) => readFileSync(join(dataDir, 'outbox', file), 'utf8'))[0]!;
    const code = /login code is (\d{6})/.exec(eml)![1]!;
    const login = await as({ kind: 'anonymous' }, `{ login_with_email_otp(email: "secretive@example.com", otp: ${code}) }`);
    const token: string = login.body.data.login_with_email_otp;

    const internal = await postSigned(`${origin}/internal/authenticate/api-key`, 'accounts', { key });
    expect(internal.status).toBe(200);

    const user: Principal = { kind: 'user', userId: decodeJwt(token).sub!, roles: {} };
    const upload = new URL(
      (await as(user, 'mutation { create_profile_picture_upload(content_type: "image/gif") }')).body.data.create_profile_picture_upload,
    );
    const put = await fetch(`${origin}${upload.pathname}${upload.search}`, {
      method: 'PUT',
      headers: { 'content-type': 'image/gif' },
      body: 'GIF89a not really',
    });
    expect(put.status).toBe(200);

    const logged = JSON.stringify(logs.messages);
    expect(logged).toContain('wrote the email to the outbox');
    for (const secret of [code, token, key, upload.searchParams.get('x-signature')!]) expect(logged).not.toContain(secret);
  } finally {
    await service.stop();
  }
});
