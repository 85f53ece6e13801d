import { expect, it } from 'vitest';
import { ADMIN_KEY, latestCode } from './helpers/accounts-platform.ts';
import { startPlatform } from './helpers/platform.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
it('repro', async () => {
  const p = await startPlatform({ subgraphs: ['accounts', 'billing'], subgraphEnv: { BOOTSTRAP_ADMIN_KEY: ADMIN_KEY } });
  try {
    await p.query('mutation { send_email_otp(email: "new@example.com") }');
    const eml = readdirSync(join(p.dataDir, 'outbox')).map((f) => readFileSync(join(p.dataDir, 'outbox', f), 'utf8')).join();
    const otp = Number(/login code is (\d{6})/.exec(eml)![1]);
    const token = (await p.query(`{ login_with_email_otp(email: "new@example.com", otp: ${otp}) }`)).body.data.login_with_email_otp;
    const r1 = await p.query('mutation { create_project(name: "x") { id current_spend } }', {}, { authorization: `Bearer ${token}` });
    console.log(JSON.stringify(r1.body));
    const r2 = await p.query('mutation { create_project(name: "y") { id current_spend } }', {}, { authorization: `Bearer ${token}` });
    console.log(JSON.stringify(r2.body));
  } finally { await p.stop(); }
});
