/** What `npm run start:worker -- actions` starts: the store, then the actions worker (worker.ts). */
import type { WorkerDefinition } from '../kit/worker.ts';
import { loadKeyring } from './secret.ts';
import { parseActionsSettings } from './settings.ts';
import { migrations, type ActionsDatabase } from './store.ts';
import { createActionsWorker } from './worker.ts';

export const workerDefinition: WorkerDefinition<ActionsDatabase> = {
  name: 'actions',
  migrations,
  create({ store, dataDir, identitySecret, env, routingUrls, log }) {
    const settings = parseActionsSettings(env);
    const billing = routingUrls.billing;
    const actions = routingUrls.actions;
    return createActionsWorker({
      db: store.db,
      settings,
      env,
      keyring: loadKeyring(settings.secret, dataDir),
      identitySecret,
      dataDir,
      log,
      billingUrl: settings.billingUrl ?? (billing ? new URL(billing).origin : undefined),
      publicUrl: settings.publicUrl ?? new URL(actions ?? 'http://127.0.0.1:4002').origin,
    });
  },
};
