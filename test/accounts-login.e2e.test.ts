/**
 * Login through the gateway: the one-time code emailed into the outbox, the EdDSA token, a new email
 * becoming a user, logout revoking the token; and every way a code stops working.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, latestCode, login, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';

const SEND = 'mutation ($email: String!) { send_email_otp(email: $email) }';
const LOGIN = 'query ($email: String!, $otp: Float!) { login_with_email_otp(email: $email, otp: $otp) }';
const ME = '{ get_me { id email default_project_id projects { id my_role } } }';

let platform: AccountsPlatform;
beforeAll(async () => {
  platform = await startAccountsPlatform();
});
afterAll(() => platform?.stop());

function otpRow(email: string) {
  return platform.subgraphs.accounts!.store.db.selectFrom('email_otps').selectAll().where('email', '=', email).executeTakeFirst();
}

describe('login with an emailed one-time code', () => {
  it('round trip: the code from the outbox gives an EdDSA token; a new email becomes a user; logout revokes the token', async () => {
    const email = 'new.person@example.com';
    await platform.query(SEND, { email: 'New.Person@Example.com ' });
    const code = latestCode(platform, email);
    expect(code).toMatch(/^[1-9]\d{5}$/);
    const stored = await otpRow(email);
    expect(stored?.code_hash).toBeDefined();
    expect(stored!.code_hash).not.toContain(code);

    const { body } = await platform.query(LOGIN, { email, otp: Number(code) });
    expect(body.errors).toBeUndefined();
    const token: string = body.data.login_with_email_otp;
    const header = decodeProtectedHeader(token);
    const jwks = (await (await fetch(`${platform.accountsOrigin}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(header).toMatchObject({ alg: 'EdDSA', kid: jwks.keys[0]!.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'accounts', sub: expect.any(String), jti: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBe(86_400);

    const me = await platform.ok(token, ME);
    expect(me.get_me).toEqual({ id: claims.sub, email, default_project_id: null, projects: [] });

    const created = await platform.ok(token, 'mutation { create_project(name: "Mine") { id my_role } }');
    const again = await platform.ok(token, ME);
    expect(again.get_me).toMatchObject({
      default_project_id: created.create_project.id,
      projects: [{ id: created.create_project.id, my_role: 'ADMIN' }],
    });

    expect(await platform.ok(token, 'mutation { logout }')).toEqual({ logout: true });
    expect((await platform.internal('/internal/authenticate/user', { userId: claims.sub, tokenId: claims.jti })).status).toBe(401);
    const after = await platform.as(token, ME);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logging in again with the same email is the same user, and each login is its own token', async () => {
    const first = await login(platform, 'twice@example.com');
    const second = await login(platform, 'twice@example.com');
    expect(decodeJwt(second).sub).toBe(decodeJwt(first).sub);
    await platform.ok(first, 'mutation { logout }');
    expect((await platform.ok(second, '{ get_me { email } }')).get_me.email).toBe('twice@example.com');
  });

  it('a code works once', async () => {
    const email = 'once@example.com';
    await platform.query(SEND, { email });
    const otp = Number(latestCode(platform, email));
    expect((await platform.query(LOGIN, { email, otp })).body.errors).toBeUndefined();
    const reused = await platform.query(LOGIN, { email, otp });
    expect(reused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'otp' });
  });

  it('a code is dead after 5 wrong tries, even the right one', async () => {
    const email = 'guesser@example.com';
    await platform.query(SEND, { email });
    const otp = Number(latestCode(platform, email));
    const wrong = otp === 999_999 ? 100_000 : otp + 1;
    for (let attempt = 0; attempt < 5; attempt++) {
      const { body } = await platform.query(LOGIN, { email, otp: wrong });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'otp' });
    }
    const { body } = await platform.query(LOGIN, { email, otp });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'otp' });
    expect(
      await platform.subgraphs.accounts!.store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('four wrong tries still leave the right code working', async () => {
    const email = 'typo@example.com';
    await platform.query(SEND, { email });
    const otp = Number(latestCode(platform, email));
    for (let attempt = 0; attempt < 4; attempt++) await platform.query(LOGIN, { email, otp: otp === 100_000 ? 100_001 : otp - 1 });
    expect((await platform.query(LOGIN, { email, otp })).body.errors).toBeUndefined();
  });

  it('an expired code is refused', async () => {
    const email = 'late@example.com';
    await platform.query(SEND, { email });
    const otp = Number(latestCode(platform, email));
    // Ten minutes are not waited for: the stored expiry is moved into the past.
    await platform.subgraphs
      .accounts!.store.db.updateTable('email_otps')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('email', '=', email)
      .execute();
    const { body } = await platform.query(LOGIN, { email, otp });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'otp' });
  });

  it('a new code replaces the previous one', async () => {
    const email = 'resend@example.com';
    await platform.query(SEND, { email });
    const first = Number(latestCode(platform, email));
    let second = first;
    while (second === first) {
      await platform.query(SEND, { email });
      second = Number(latestCode(platform, email));
    }
    expect((await platform.query(LOGIN, { email, otp: first })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await platform.query(LOGIN, { email, otp: second })).body.errors).toBeUndefined();
  });

  it('bad input answers BAD_USER_INPUT naming the argument and sends nothing', async () => {
    const before = platform.outbox().length;
    for (const email of ['', 'not-an-email', 'two@@example.com', 'spaces in@example.com']) {
      const { body } = await platform.query(SEND, { email });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'email' });
    }
    expect(platform.outbox()).toHaveLength(before);
    expect(await otpRow('not-an-email')).toBeUndefined();

    for (const otp of [12.5, -1, 1_000_000]) {
      const { body } = await platform.query(LOGIN, { email: 'x@example.com', otp });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'otp' });
    }
  });

  it('logout needs a logged-in user: an API key is refused, an anonymous caller is unauthenticated', async () => {
    expect((await platform.as(ADMIN_KEY, 'mutation { logout }')).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await platform.query('mutation { logout }')).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
