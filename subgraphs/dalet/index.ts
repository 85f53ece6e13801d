/**
 * The dalet subgraph: the Dalet Galaxy five API (seed 003), every section (Authentication, Users, UserGroups,
 * Categories, Configuration, Assets, Metadata, Locators, Media) and the seven subscriptions, one module a
 * doc section. See README.md.
 */
import { defineSubgraph } from '../kit/define-subgraph.ts';
import { createOutboundGuard } from '../kit/outbound/index.ts';
import { bootstrapIfEmpty } from './bootstrap.ts';
import type { DaletServices } from './common/context.ts';
import { Notifications } from './common/notifications.ts';
import { PartialErrors } from './common/partial-errors.ts';
import { registerInternalRoutes } from './modules/authentication/internal-routes.ts';
import { assetStructuresModule } from './modules/asset-structures/resolvers.ts';
import { assetModule } from './modules/assets/resolvers.ts';
import { authenticationModule } from './modules/authentication/resolvers.ts';
import { loadTokenIssuer } from './modules/authentication/tokens.ts';
import { categoryModule } from './modules/categories/resolvers.ts';
import { configurationModule } from './modules/configuration/resolvers.ts';
import { locatorModule } from './modules/locators/resolvers.ts';
import { createMediaProbe } from './modules/media/media-probe.ts';
import { mediaModule } from './modules/media/resolvers.ts';
import { metadataModule } from './modules/metadata/resolvers.ts';
import { userGroupModule } from './modules/user-groups/resolvers.ts';
import { userModule } from './modules/users/resolvers.ts';
import { scalarResolvers } from './schema/scalars.ts';
import { parseDaletSettings, type DaletSettings } from './settings.ts';
import { migrations } from './store/migrations/index.ts';
import type { DaletDatabase } from './store/tables.ts';

export const definition = defineSubgraph<DaletDatabase, DaletSettings, DaletServices>({
  name: 'dalet',
  schema: [new URL('./schema/_base.graphql', import.meta.url)],
  modules: [
    { resolvers: () => scalarResolvers },
    authenticationModule,
    userModule,
    userGroupModule,
    categoryModule,
    configurationModule,
    assetModule,
    metadataModule,
    locatorModule,
    mediaModule,
    assetStructuresModule,
  ],
  settings: parseDaletSettings,
  errors: 'dalet',
  migrations,
  async create({ store, options, log, settings, identity, pubsub, onClose }) {
    const tokens = await loadTokenIssuer(settings.jwtPrivateKeyPem, options.dataDir, settings.tokenTtlSeconds);
    await bootstrapIfEmpty(store.db, settings, log);
    const partialErrors = new PartialErrors();
    const guard = createOutboundGuard({ allowedHosts: settings.outboundAllowedHosts });
    onClose('outbound guard', () => guard.close());
    const media = { probe: createMediaProbe({ ffmpegPath: settings.ffmpegPath, guard, log }), locations: settings.storageLocations };
    return {
      services: { partialErrors, tokens, notifications: new Notifications(pubsub), media },
      plugins: [partialErrors.plugin()],
      routes(app) {
        registerInternalRoutes(app, { db: store.db, identity, tokens });
      },
    };
  },
});
