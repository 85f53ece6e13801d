import { defineSubgraph } from '../kit/define-subgraph.ts';
import { createAcmeIssuer } from './acme-issuer.ts';
import { behaviorResolvers } from './behaviors.ts';
import { startCertificatePoller } from './certificate-poller.ts';
import { certificateResolvers } from './certificates.ts';
import { distributionResolvers } from './distributions.ts';
import { invalidationResolvers } from './invalidations.ts';
import { openKeyEncryption } from './key-encryption.ts';
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
  async create({ settings, options, store, log, onClose }) {
    const keys = openKeyEncryption(options.dataDir);
    const services: CdnServices = {
      settings,
      keys,
      ca: await openLocalCa(options.dataDir, keys),
      acme: settings.acme && createAcmeIssuer(settings.acme, store.db, keys),
    };
    const poller = startCertificatePoller(services, store.db, log);
    onClose('certificate poller', () => poller.stop());
    return { services };
  },
});
