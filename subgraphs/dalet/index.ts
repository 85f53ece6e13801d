/**
 * The dalet subgraph: the Dalet Galaxy five API (seed 003), part 1: Authentication, Users, UserGroups,
 * Categories and Configuration, one module a doc section. See README.md.
 */
import type { SubgraphDefinition } from '../kit/build-subgraph.ts';
import { bootstrapIfEmpty } from './bootstrap.ts';
import { PartialErrors } from './common/partial-errors.ts';
import { registerInternalRoutes } from './modules/authentication/internal-routes.ts';
import { authenticationResolvers } from './modules/authentication/resolvers.ts';
import { loadTokenIssuer } from './modules/authentication/tokens.ts';
import { categoryResolvers } from './modules/categories/resolvers.ts';
import { configurationResolvers } from './modules/configuration/resolvers.ts';
import { userGroupResolvers } from './modules/user-groups/resolvers.ts';
import { userResolvers } from './modules/users/resolvers.ts';
import { scalarResolvers } from './schema/scalars.ts';
import { parseDaletSettings } from './settings.ts';
import { migrations } from './store/migrations/index.ts';
import type { DaletDatabase } from './store/tables.ts';

/** Each module's resolvers, merged type by type (several modules add Query and Mutation fields). */
function mergeResolvers(...maps: Record<string, Record<string, unknown>>[]): Record<string, any> {
  const merged: Record<string, any> = {};
  for (const map of maps) for (const [type, fields] of Object.entries(map)) merged[type] = { ...merged[type], ...fields };
  return merged;
}

export const definition: SubgraphDefinition<DaletDatabase> = {
  name: 'dalet',
  // Joined from schema/_base.graphql and modules/*/*.graphql (schema-files.ts).
  schemaUrl: new URL('./schema.graphql', import.meta.url),
  errorStyle: 'dalet',
  migrations,
  async create({ store, options, log }) {
    const settings = parseDaletSettings(options.env);
    const tokens = await loadTokenIssuer(settings.jwtPrivateKeyPem, options.dataDir, settings.tokenTtlSeconds);
    await bootstrapIfEmpty(store.db, settings, log);
    const services = { partialErrors: new PartialErrors() };
    return {
      resolvers: {
        ...scalarResolvers,
        ...mergeResolvers(
          authenticationResolvers({ tokens }),
          userResolvers(services),
          userGroupResolvers(services),
          categoryResolvers(services),
          configurationResolvers,
        ),
      },
      plugins: [services.partialErrors.plugin()],
      routes(app) {
        registerInternalRoutes(app, { db: store.db, identitySecret: options.identitySecret, tokens });
      },
    };
  },
};
