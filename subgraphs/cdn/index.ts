import { defineSubgraph } from '../kit/define-subgraph.ts';
import { behaviorResolvers } from './behaviors.ts';
import { certificateResolvers } from './certificates.ts';
import { distributionResolvers } from './distributions.ts';
import { invalidationResolvers } from './invalidations.ts';
import { openLocalCa } from './local-ca.ts';
import { originResolvers } from './origins.ts';
import { policyResolvers } from './policy-resolvers.ts';
import type { CdnServices } from './services.ts';
import { parseCdnSettings, type CdnSettings } from './settings.ts';
import { migrations, type CdnDatabase } from './store.ts';

export const definition = defineSubgraph<CdnDatabase, CdnSettings, CdnServices>({
  name: 'cdn',
  schema: [new URL('./schema.graphql', import.meta.url)],
  modules: [
    { resolvers: distributionResolvers },
    { resolvers: originResolvers },
    { resolvers: behaviorResolvers },
    { resolvers: policyResolvers },
    { resolvers: invalidationResolvers },
    { resolvers: certificateResolvers },
  ],
  settings: parseCdnSettings,
  errors: 'cognitive-cloud',
  migrations,
  async create({ settings, options }) {
    return { services: { settings, ca: await openLocalCa(options.dataDir) } };
  },
});
