import { defineSubgraph } from '../kit/define-subgraph.ts';
import { createStorage, parseStorageSettings } from '../kit/storage/index.ts';
import { actionResolvers } from './action-resolvers.ts';
import { createCatalogue } from './catalogue/index.ts';
import { jobResolvers } from './job-resolvers.ts';
import { createPayloadValidator } from './payload-validation.ts';
import { ratingResolvers } from './rating-resolvers.ts';
import { createActionSearch } from './search.ts';
import { createStatisticsOf, type ActionsServices } from './services.ts';
import { loadKeyring } from './secret.ts';
import { parseActionsSettings, type ActionsSettings } from './settings.ts';
import { migrations, type ActionsDatabase } from './store.ts';

/** The subgraph: the catalogue, jobs, ratings. Jobs are run by its worker (worker.ts), in its own process. */
export const definition = defineSubgraph<ActionsDatabase, ActionsSettings, ActionsServices>({
  name: 'actions',
  schema: [new URL('./schema.graphql', import.meta.url)],
  modules: [{ resolvers: actionResolvers }, { resolvers: jobResolvers }, { resolvers: ratingResolvers }],
  settings: parseActionsSettings,
  errors: 'cognitive-cloud',
  migrations,
  async create({ options, settings, onClose }) {
    const keyring = loadKeyring(settings.secret, options.dataDir);
    const catalogue = createCatalogue({ checkMx: settings.emailVerifyMx });
    // Artifacts are written and their URLs signed by the worker; on the filesystem backend this subgraph
    // serves those URLs, and signs none itself.
    const storage = createStorage(
      parseStorageSettings(options.env, { dataDir: options.dataDir, publicUrl: settings.publicUrl ?? 'http://127.0.0.1' }),
    );
    onClose('storage', () => storage.close());
    return {
      services: {
        catalogue,
        statisticsOf: createStatisticsOf(catalogue),
        validatePayload: createPayloadValidator(catalogue.actions),
        search: createActionSearch(catalogue.actions),
        settings,
        keyring,
      },
      routes(app) {
        storage.registerRoutes(app);
      },
    };
  },
});
