import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { LastUsedTracker } from './api-keys.ts';
import { bootstrapIfEmpty } from './bootstrap.ts';
import { registerInternalRoutes } from './internal-routes.ts';
import { resolvers } from './resolvers.ts';
import { loadTokenSigner } from './secrets.ts';
import { parseAccountsSettings } from './settings.ts';
import { migrations, type AccountsDatabase } from './store.ts';

export const definition: SubgraphDefinition<AccountsDatabase> = {
  name: 'accounts',
  schemaUrl: new URL('./schema.graphql', import.meta.url),
  errorStyle: 'cognitive-cloud',
  migrations,
  async create({ store, options, log }) {
    const settings = parseAccountsSettings(options.env);
    const signer = await loadTokenSigner(settings.jwtPrivateKeyPem, options.dataDir);
    const bootstrapped = await bootstrapIfEmpty(store.db, settings, log);
    if (bootstrapped?.generatedKey) {
      // Printed, never logged: stdout is the operator's terminal, logs are shipped and kept.
      process.stdout.write(`\nBootstrap ADMIN API key (shown once, store it now): ${bootstrapped.generatedKey}\n\n`);
    }
    const lastUsed = new LastUsedTracker(store.db, settings.lastUsedFlushMs, (error) => log.error({ err: error }, 'could not record API key use'));
    return {
      resolvers,
      routes: (app) => registerInternalRoutes(app, { db: store.db, identitySecret: options.identitySecret, signer, lastUsed }),
      close: () => lastUsed.close(),
    };
  },
};
