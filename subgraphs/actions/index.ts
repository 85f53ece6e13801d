import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { createStorage, parseStorageSettings } from '../kit/storage/index.ts';
import { createCatalogue } from './catalogue/index.ts';
import { createPayloadValidator } from './payload-validation.ts';
import { createResolvers } from './resolvers.ts';
import { createActionSearch } from './search.ts';
import { createStatisticsOf } from './services.ts';
import { loadKeyring } from './secret.ts';
import { parseActionsSettings } from './settings.ts';
import { migrations, type ActionsDatabase } from './store.ts';

/** The subgraph: the catalogue, jobs, ratings. Jobs are run by its worker (worker.ts), in its own process. */
export const definition: SubgraphDefinition<ActionsDatabase> = {
  name: 'actions',
  schemaUrl: new URL('./schema.graphql', import.meta.url),
  errorStyle: 'cognitive-cloud',
  migrations,
  async create({ store, options }) {
    const settings = parseActionsSettings(options.env);
    const keyring = loadKeyring(settings.secret, options.dataDir);
    const catalogue = createCatalogue({ checkMx: settings.emailVerifyMx });
    // Artifacts are written and their URLs signed by the worker; on the filesystem backend this subgraph
    // serves those URLs, and signs none itself.
    const storage = createStorage(
      parseStorageSettings(options.env, { dataDir: options.dataDir, publicUrl: settings.publicUrl ?? 'http://127.0.0.1' }),
    );
    return {
      resolvers: createResolvers({
        catalogue,
        statisticsOf: createStatisticsOf(catalogue),
        validatePayload: createPayloadValidator(catalogue.actions),
        search: createActionSearch(catalogue.actions),
        settings,
        keyring,
      }),
      routes(app) {
        storage.registerRoutes(app);
      },
    };
  },
};
