/**
 * The platform with accounts, billing and actions behind the real gateway, and an actions worker in this
 * process (the same createActionsWorker the worker process runs), for the actions tests. Callers act with
 * the bootstrapped ADMIN key, keys of other roles, or users' login tokens.
 */
import { expect } from 'vitest';
import { IDENTITY_SECRET, silentLogger } from './platform.ts';
import { ADMIN_KEY, startAccountsPlatform, type AccountsPlatform } from './accounts-platform.ts';
import { loadKeyring } from '../../subgraphs/actions/secret.ts';
import { parseActionsSettings } from '../../subgraphs/actions/settings.ts';
import { createActionsWorker } from '../../subgraphs/actions/worker.ts';
import { createBillingDefinition } from '../../subgraphs/billing/index.ts';
import type { Clock } from '../../subgraphs/billing/clock.ts';

export { ADMIN_KEY };

export interface ActionsPlatform extends AccountsPlatform {
  actionsOrigin: string;
  billingOrigin: string;
  /** The env the actions subgraph got; a worker process started by a test should get it too. */
  actionsEnv: Record<string, string>;
  /** Stops the in-process worker (e.g. to run a worker process instead); safe to call twice. */
  stopWorker(): Promise<void>;
  /** A new API key of the bootstrapped project with this role. */
  keyWithRole(role: 'ADMIN' | 'DEVELOPER' | 'READONLY' | 'FINANCE'): Promise<string>;
  /** run_job as `credential`; returns the job or fails the test on an error. */
  runJob(
    credential: string,
    actionId: string,
    payload: unknown,
    options?: { wait?: boolean; webhookUrl?: string; projectId?: string },
  ): Promise<any>;
}

export const JOB_FIELDS =
  'id action_id project_id status started_at finished_at request response error_message created_at billing_request_cost billing_request_quantity';

export interface ActionsPlatformOptions {
  /** Run the in-process worker (default true). */
  worker?: boolean;
  /** The clock billing closes months by (default the system's), for a test that moves it. */
  billingClock?: Clock;
}

export async function startActionsPlatform(
  env: Record<string, string> = {},
  { worker = true, billingClock }: ActionsPlatformOptions = {},
): Promise<ActionsPlatform> {
  const actionsEnv = { RUN_JOB_WAIT_MS: '60000', EMAIL_VERIFY_MX: 'false', ...env };
  const billing = billingClock ? createBillingDefinition({ clock: billingClock }) : 'billing';
  const platform = await startAccountsPlatform(actionsEnv, { extraSubgraphs: [billing, 'actions'] });
  const actionsOrigin = new URL(platform.subgraphUrls.actions!).origin;
  const billingOrigin = new URL(platform.subgraphUrls.billing!).origin;
  const settings = parseActionsSettings({ ...actionsEnv, ACTIONS_PUBLIC_URL: actionsOrigin });
  const workers = worker
    ? createActionsWorker({
        db: platform.subgraphs.actions!.store.db,
        settings,
        env: { ...actionsEnv, ACTIONS_PUBLIC_URL: actionsOrigin },
        keyring: loadKeyring(settings.secret, platform.dataDir),
        identitySecret: IDENTITY_SECRET,
        dataDir: platform.dataDir,
        log: silentLogger,
        billingUrl: billingOrigin,
        publicUrl: actionsOrigin,
        pollMs: 20,
      })
    : undefined;
  workers?.start();
  let stopping: Promise<void> | undefined;
  const stopWorker = () => (stopping ??= workers?.stop() ?? Promise.resolve());

  return {
    ...platform,
    actionsOrigin,
    billingOrigin,
    actionsEnv: { ...actionsEnv, ACTIONS_PUBLIC_URL: actionsOrigin },
    stopWorker,
    async stop() {
      await stopWorker();
      await platform.stop();
    },
    async keyWithRole(role) {
      const created = await platform.ok(
        ADMIN_KEY,
        'mutation ($p: String!, $role: Role) { create_api_key(project_id: $p, name: "test", role: $role) }',
        { p: platform.projectId, role },
      );
      return created.create_api_key;
    },
    async runJob(credential, actionId, payload, options = {}) {
      const { body } = await platform.as(
        credential,
        `mutation ($a: String!, $p: JSON, $w: Boolean, $h: String, $project: String) { run_job(action_id: $a, payload: $p, wait_for_result: $w, webhook_url: $h, project_id: $project) { ${JOB_FIELDS} } }`,
        { a: actionId, p: payload, w: options.wait ?? true, h: options.webhookUrl, project: options.projectId },
      );
      expect(body.errors).toBeUndefined();
      return body.data.run_job;
    },
  };
}
