import { join } from 'node:path';
import { defineSubgraph } from '../kit/define-subgraph.ts';
import { LastUsedTracker } from './api-keys.ts';
import { bootstrapIfEmpty } from './bootstrap.ts';
import { registerInternalRoutes } from './internal-routes.ts';
import { keyResolvers } from './key-resolvers.ts';
import { createAccountsLoaders } from './loaders.ts';
import { createMailer } from '../kit/mailer.ts';
import { startPeriodicTask } from '../kit/periodic-task.ts';
import { ProfilePictures } from './profile-pictures.ts';
import { createStorage, parseStorageSettings } from '../kit/storage/index.ts';
import { projectResolvers } from './project-resolvers.ts';
import type { AccountsServices } from './services.ts';
import { loadHmac, loadTokenSigner } from './secrets.ts';
import { parseAccountsSettings, type AccountsSettings } from './settings.ts';
import { migrations, type AccountsDatabase } from './store.ts';
import { userResolvers } from './user-resolvers.ts';

export const definition = defineSubgraph<AccountsDatabase, AccountsSettings, AccountsServices>({
  name: 'accounts',
  schema: [new URL('./schema.graphql', import.meta.url)],
  modules: [{ resolvers: projectResolvers }, { resolvers: keyResolvers }, { resolvers: userResolvers }],
  settings: parseAccountsSettings,
  errors: 'cognitive-cloud',
  migrations,
  async create({ store, options, log, settings, onClose, identity }) {
    const { dataDir } = options;
    const signer = await loadTokenSigner(settings.jwtPrivateKeyPem, dataDir);
    const hmac = loadHmac(settings.accountsSecret, dataDir);
    const bootstrapped = await bootstrapIfEmpty(store.db, settings, log);
    if (bootstrapped?.generatedKey) {
      // Printed, never logged: stdout is the operator's terminal, logs are shipped and kept.
      process.stdout.write(`\nBootstrap ADMIN API key (shown once, store it now): ${bootstrapped.generatedKey}\n\n`);
    }
    const mailer = createMailer({ smtpUrl: settings.smtpUrl, from: settings.mailFrom, outboxDir: join(dataDir, 'outbox'), log });
    onClose('mailer', () => mailer.close());
    const lastUsed = new LastUsedTracker(store.db, settings.lastUsedFlushMs, (error) =>
      log.error({ err: error }, 'could not record API key use'),
    );
    // Closed before the store, so that its last batch of last-use times is written.
    onClose('api key last use', () => lastUsed.close());
    const storage = createStorage(parseStorageSettings(options.env, { dataDir, publicUrl: settings.publicUrl }), { db: store.db });
    onClose('storage', () => storage.close());
    const pictures = new ProfilePictures({
      storage,
      db: store.db,
      log,
      maxBytes: settings.profilePictureMaxBytes,
      uploadUrlTtlSeconds: settings.uploadUrlTtlSeconds,
      pictureUrlTtlSeconds: settings.pictureUrlTtlSeconds,
    });
    // Answered once the picture is the user's: a client reads its new picture right after the PUT.
    storage.onStored((key) => pictures.arrived(key));
    const sweeper = startPeriodicTask('profile picture sweep', settings.pictureSweepIntervalMs, log, () => pictures.sweep(new Date()));
    onClose('profile picture sweeper', () => sweeper.stop());
    return {
      services: { settings, signer, hmac, mailer, lastUsed, pictures, loaders: createAccountsLoaders() },
      routes(app) {
        registerInternalRoutes(app, { db: store.db, identity, signer, lastUsed });
        storage.registerRoutes(app);
      },
    };
  },
});
