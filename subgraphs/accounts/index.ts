import { join } from 'node:path';
import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { LastUsedTracker } from './api-keys.ts';
import { bootstrapIfEmpty } from './bootstrap.ts';
import { registerInternalRoutes } from './internal-routes.ts';
import { createMailer } from './mailer.ts';
import { ProfilePictures } from './profile-pictures.ts';
import { createResolvers } from './resolvers.ts';
import { loadHmac, loadTokenSigner } from './secrets.ts';
import { parseAccountsSettings } from './settings.ts';
import { migrations, type AccountsDatabase } from './store.ts';

export const definition: SubgraphDefinition<AccountsDatabase> = {
  name: 'accounts',
  schemaUrl: new URL('./schema.graphql', import.meta.url),
  errorStyle: 'cognitive-cloud',
  migrations,
  async create({ store, options, log, identity }) {
    const { dataDir } = options;
    const settings = parseAccountsSettings(options.env);
    const signer = await loadTokenSigner(settings.jwtPrivateKeyPem, dataDir);
    const hmac = loadHmac(settings.accountsSecret, dataDir);
    const bootstrapped = await bootstrapIfEmpty(store.db, settings, log);
    if (bootstrapped?.generatedKey) {
      // Printed, never logged: stdout is the operator's terminal, logs are shipped and kept.
      process.stdout.write(`\nBootstrap ADMIN API key (shown once, store it now): ${bootstrapped.generatedKey}\n\n`);
    }
    const mailer = createMailer({ smtpUrl: settings.smtpUrl, from: settings.mailFrom, outboxDir: join(dataDir, 'outbox'), log });
    const lastUsed = new LastUsedTracker(store.db, settings.lastUsedFlushMs, (error) => log.error({ err: error }, 'could not record API key use'));
    const pictures = new ProfilePictures({
      dataDir,
      publicUrl: settings.publicUrl,
      maxBytes: settings.profilePictureMaxBytes,
      uploadUrlTtlSeconds: settings.uploadUrlTtlSeconds,
      hmac,
    });
    return {
      resolvers: createResolvers({ settings, signer, hmac, mailer, lastUsed, pictures }),
      routes(app) {
        registerInternalRoutes(app, { db: store.db, identity, signer, lastUsed });
        pictures.registerRoutes(app, store.db);
      },
      async close() {
        await lastUsed.close();
        mailer.close();
      },
    };
  },
};
