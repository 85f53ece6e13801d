/**
 * `defineSubgraph()`: a subgraph declared as its SDL files, its resolver modules, its settings, its error
 * style and its migrations, plus `create()`, which makes what the resolvers need. It produces the
 * `SubgraphDefinition` that `buildSubgraph()` takes, so a subgraph written the older way (one
 * `schemaUrl`, `create()` returning `resolvers`) keeps working beside it.
 */
import { GraphQLScalarType } from 'graphql';
import type { ErrorStyle, ResolverMap, SubgraphDefinition, SubgraphKit, SubgraphParts } from './build-subgraph.ts';
import type { Migration } from './store.ts';

/** One part of a subgraph (Dalet: one per section of its doc), with its own SDL and resolvers. */
export interface SubgraphModule<Services> {
  /** The module's SDL files, e.g. `[new URL('./schema.graphql', import.meta.url)]`; default none. */
  schema?: readonly URL[];
  /** Its resolvers, made from what `create()` returned. Two modules may add fields to one type. */
  resolvers(services: Services): ResolverMap;
}

/** What `create()` is given: the kit's parts and the subgraph's own settings, already validated. */
export interface SubgraphSetup<DB, Settings> extends Omit<SubgraphKit<DB>, 'settings'> {
  settings: Settings;
}

export interface SubgraphCreated<Services> {
  /** What every module's `resolvers()` is given. */
  services: Services;
  /** Extra HTTP routes. They are not behind the identity check: each guards itself. */
  routes?: SubgraphParts<unknown>['routes'];
  /** Apollo Server plugins of the subgraph's own (dalet: its partial mutation errors). */
  plugins?: SubgraphParts<unknown>['plugins'];
  /** Runs at stop, after in-flight requests finished and before the store closes (`onClose` is the newer way). */
  close?(): Promise<void>;
}

export interface SubgraphSpec<DB, Settings, Services> {
  name: string;
  /** SDL files shared by the modules (the `@link`, scalars, shared types); merged with the modules' own. */
  schema: readonly URL[];
  modules: readonly SubgraphModule<Services>[];
  /** Reads and validates the subgraph's own variables; throws a `SettingsError` naming the bad one. Default: none. */
  settings?(env: Readonly<Record<string, string | undefined>>): Settings;
  /** Which seed's error shape unexpected errors take. */
  errors: ErrorStyle;
  migrations: Record<string, Migration>;
  /**
   * Runs once the store is migrated. Each resource it makes registers its cleanup with `onClose` right
   * after it is made. Default: no services.
   */
  create?(setup: SubgraphSetup<DB, Settings>): Promise<SubgraphCreated<Services>>;
}

/** A definition made by `defineSubgraph`, which also knows how to check its settings before anything starts. */
export interface DefinedSubgraph<DB, Settings> extends SubgraphDefinition<DB> {
  parseSettings(env: Readonly<Record<string, string | undefined>>): Settings;
}

export function defineSubgraph<DB, Settings = undefined, Services = undefined>(
  spec: SubgraphSpec<DB, Settings, Services>,
): DefinedSubgraph<DB, Settings> {
  const parseSettings = (env: Readonly<Record<string, string | undefined>>) =>
    spec.settings ? spec.settings(env) : (undefined as Settings);
  return {
    name: spec.name,
    schemaUrl: [...spec.schema, ...spec.modules.flatMap((module) => module.schema ?? [])],
    errorStyle: spec.errors,
    migrations: spec.migrations,
    parseSettings,
    async create(kit: SubgraphKit<DB>) {
      const settings = kit.settings as Settings;
      const created = spec.create ? await spec.create({ ...kit, settings }) : { services: undefined as Services };
      return {
        resolvers: mergeResolvers(spec.modules.map((module) => module.resolvers(created.services))),
        routes: created.routes,
        plugins: created.plugins,
        close: created.close,
      };
    },
  };
}

/** One map from several: each type's fields are gathered from every module; a field defined twice is a mistake. */
export function mergeResolvers(maps: readonly ResolverMap[]): ResolverMap {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      if (fields instanceof GraphQLScalarType) {
        if (typeName in merged) throw new Error(`scalar ${typeName} is resolved by two modules`);
        merged[typeName] = fields as never;
        continue;
      }
      const into = (merged[typeName] ??= {});
      for (const [fieldName, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (fieldName in into) throw new Error(`${typeName}.${fieldName} is resolved by two modules`);
        into[fieldName] = resolver;
      }
    }
  }
  return merged as ResolverMap;
}
