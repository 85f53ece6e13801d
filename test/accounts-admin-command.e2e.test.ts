/**
 * `npm run accounts -- create-admin-key`: the operator's way back in when the bootstrap key is lost. The key
 * it prints works through the gateway at once, on the owner's default project or the one given.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startAccountsPlatform, type AccountsPlatform } from './helpers/accounts-platform.ts';

const run = promisify(execFile);

describe('npm run accounts -- create-admin-key', () => {
  let platform: AccountsPlatform;

  beforeAll(async () => {
    platform = await startAccountsPlatform();
  });
  afterAll(async () => platform?.stop());

  async function createAdminKey(args: string[], env: Record<string, string> = {}) {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', 'subgraphs/accounts/admin-command.ts', 'create-admin-key', ...args],
        {
          env: { ...process.env, DATA_DIR: platform.dataDir, ...env },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('prints a new ADMIN key for the owner’s default project that works through the gateway', async () => {
    const result = await createAdminKey([]);
    expect(result.code).toBe(0);
    const key = /^(cc_\S+)$/m.exec(result.stdout)?.[1];
    expect(key).toBeDefined();
    expect(key).not.toBe(ADMIN_KEY);
    const data = await platform.ok(key!, 'query ($id: String!) { get_project(id: $id) { id } }', { id: platform.projectId });
    expect(data.get_project.id).toBe(platform.projectId);
    // An ADMIN may do what only ADMINs may: make another key.
    const made = await platform.ok(key!, 'mutation ($p: String!) { create_api_key(project_id: $p, name: "ci", role: READONLY) }', {
      p: platform.projectId,
    });
    expect(made.create_api_key).toMatch(/^cc_/);
  });

  it('refuses a project where the owner is not ADMIN, and an owner that does not exist', async () => {
    const elsewhere = await createAdminKey(['no-such-project']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('owner@localhost is not ADMIN of project no-such-project');

    const nobody = await createAdminKey([], { BOOTSTRAP_OWNER_EMAIL: 'nobody@example.com' });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no user nobody@example.com');
  });
});
