/**
 * Assembles one subgraph service without listening: fastify + Apollo Server + the subgraph's SDL and
 * resolvers + its store. Every subgraph is built by this one function; its folder holds only what is
 * its own (see subgraphs/README.md).
 */
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteHandlerMethod } from 'fastify';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { cognitiveCloudError, daletError, inSeedShape } from './errors.ts';
import { closeGracefully } from './graceful-close.ts';
import { verifyIdentity, type Principal } from './identity.ts';
import { measureSubgraph } from './metrics.ts';
import { openStore, type Migration, type Store } from './store.ts';

/** What every resolver receives. */
export interface SubgraphContext<DB> {
  principal: Principal;
  db: Store<DB>['db'];
  log: FastifyBaseLogger;
  requestId: string;
}

/** A resolver map as `buildSubgraphSchema` takes it (its own type is not exported but from its dist/ folder). */
type SchemaModule = Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], DocumentNode>;
export type ResolverMap = NonNullable<SchemaModule['resolvers']>;

/** Which seed's error shape a subgraph's errors take. */
export type ErrorStyle = 'cognitive-cloud' | 'dalet';

export interface SubgraphDefinition<DB> {
  name: string;
  /**
   * The subgraph's SDL: one file, usually `new URL('./schema.graphql', import.meta.url)`, or several,
   * merged in order (what `defineSubgraph` makes).
   */
  schemaUrl: URL | readonly URL[];
  /** Which seed's error shape unexpected errors take. */
  errorStyle: ErrorStyle;
  migrations: Record<string, Migration>;
  /** Runs once the store is migrated: builds the resolvers and whatever else the subgraph owns. */
  create(kit: SubgraphKit<DB>): Promise<SubgraphParts<DB>>;
}

/** What a subgraph is given to build its parts. */
export interface SubgraphKit<DB> {
  store: Store<DB>;
  options: SubgraphOptions;
  log: Logger;
}

export interface SubgraphParts<DB> {
  resolvers: ResolverMap;
  /** Extra HTTP routes. They are not behind the identity check: each guards itself. */
  routes?(app: FastifyInstance): void | Promise<void>;
  /** Apollo Server plugins of the subgraph's own, after the kit's (e.g. dalet's partial mutation errors). */
  plugins?: ApolloServerPlugin<object>[];
  /** Runs at stop, after in-flight requests finished and before the store closes. */
  close?(): Promise<void>;
}

export interface SubgraphOptions {
  dataDir: string;
  /** HMAC secret shared with the gateway (see identity.ts). */
  identitySecret: string;
  logger: Logger;
  /** The subgraph's own settings (e.g. BOOTSTRAP_ADMIN_KEY for accounts), read by the entry point. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface SubgraphService<DB> {
  app: FastifyInstance;
  store: Store<DB>;
  /** Finishes in-flight requests, then closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export async function buildSubgraph<DB>(
  definition: SubgraphDefinition<DB>,
  options: SubgraphOptions,
): Promise<SubgraphService<DB>> {
  const { dataDir, identitySecret, logger } = options;
  const store = await openStore<DB>({ name: definition.name, dataDir, databaseUrl: options.env.DATABASE_URL, migrations: definition.migrations });
  const log = logger.child({ subgraph: definition.name });
  const parts = await definition.create({ store, options, log });
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
  });
  app.decorateRequest('principal', null as never);
  closeGracefully(app);

  const apollo = new ApolloServer<SubgraphContext<DB>>({
    schema: buildSubgraphSchema({
      typeDefs: parse(readSubgraphSdl(definition)),
      resolvers: parts.resolvers,
    }),
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(definition.errorStyle, log),
    // Inline traces would tell every caller our resolvers' timings; usage reporting is not used.
    plugins: [fastifyApolloDrainPlugin(app), ApolloServerPluginInlineTraceDisabled(), ...((parts.plugins ?? []) as ApolloServerPlugin<SubgraphContext<DB>>[])],
  });
  await apollo.start();

  measureSubgraph(app, definition.name, options.env);
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    onRequest: async (request, reply) => {
      const verdict = verifyIdentity(request.headers, identitySecret);
      if (!verdict.ok) {
        request.log.warn({ reason: verdict.reason }, 'refused a request not signed by the gateway');
        return reply.code(401).send({
          errors: [{ message: 'This service only answers the gateway', extensions: { code: 'UNAUTHENTICATED' } }],
        });
      }
      request.principal = verdict.principal;
    },
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => ({ principal: request.principal, db: store.db, log: request.log, requestId: request.id }),
    }) as RouteHandlerMethod,
  });
  app.get('/health', async () => ({ status: 'ok' }));
  await parts.routes?.(app);

  let stopping: Promise<void> | undefined;
  return {
    app,
    store,
    stop: () =>
      (stopping ??= (async () => {
        // Apollo's drain plugin closes fastify (finishing requests in flight), then Apollo stops.
        await apollo.stop();
        await parts.close?.();
        await store.close();
      })()),
  };
}

/** The subgraph's SDL files as one text, in order. */
export function readSubgraphSdl(definition: Pick<SubgraphDefinition<unknown>, 'schemaUrl'>): string {
  return schemaUrls(definition).map((url) => readFileSync(url, 'utf8')).join('\n');
}

export function schemaUrls(definition: Pick<SubgraphDefinition<unknown>, 'schemaUrl'>): readonly URL[] {
  return definition.schemaUrl instanceof URL ? [definition.schemaUrl] : definition.schemaUrl;
}

/** Errors the resolvers did not raise on purpose are logged in full and answered without details. */
function maskUnexpectedErrors(errorStyle: ErrorStyle, log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (unwrapResolverError(error) instanceof GraphQLError) return inSeedShape(formatted);
    log.error({ err: error }, 'unexpected error in a resolver');
    const masked =
      errorStyle === 'dalet'
        ? daletError('UnexpectedError', 'Unexpected error')
        : cognitiveCloudError('INTERNAL_SERVER_ERROR', 'Internal server error');
    return { ...masked.toJSON(), path: formatted.path, locations: formatted.locations };
  };
}
