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
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteHandlerMethod,
} from 'fastify';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  GraphQLError,
  isInterfaceType,
  isObjectType,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Logger } from 'pino';
import { cognitiveCloudError, daletError, inSeedShape } from '../../core/errors.ts';
import { closeGracefully } from '../../core/graceful-close.ts';
import type { Principal } from '../../core/identity.ts';
import { createIdentityGuard, keepRawBodies, mayWrite, type IdentityGuard } from './identity-guard.ts';
import { createReplayGuard } from './replay-guard.ts';
import { createTracing, type TraceSpan } from '../../core/tracing.ts';
import { measureSubgraph } from '../../core/metrics.ts';
import { registerSubgraphTracing, resolverTracingPlugin } from './tracing.ts';
import { serverLimitOptions } from '../../core/server-limits.ts';
import { createLifecycle, registerHealthRoutes, type Lifecycle, type LifecycleState } from './lifecycle.ts';
import { parseSubgraphSettings, type SubgraphSettings } from './settings.ts';
import { openStore, type Migration, type Store } from './store.ts';
import { createPubSub, type PubSub } from './pubsub.ts';
import { registerSubscriptions } from './subscriptions.ts';

/** What every resolver receives. */
export interface SubgraphContext<DB> {
  principal: Principal;
  db: Store<DB>['db'];
  log: FastifyBaseLogger;
  requestId: string;
  /** The request's span when traces are exported: a resolver may start its own under it. */
  trace?: TraceSpan;
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
  /**
   * Reads and validates the subgraph's own settings from `options.env`, throwing a `SettingsError`
   * (core/settings.ts) for a bad value; called before anything is opened. Default: none.
   */
  parseSettings?(env: Readonly<Record<string, string | undefined>>): unknown;
  /** Runs once the store is migrated: builds the resolvers and whatever else the subgraph owns. */
  create(kit: SubgraphKit<DB>): Promise<SubgraphParts<DB>>;
}

/** What a subgraph is given to build its parts. */
export interface SubgraphKit<DB> {
  store: Store<DB>;
  options: SubgraphOptions;
  log: Logger;
  /** Checks the signed identity of a request to one of the subgraph's own routes (identity-guard.ts). */
  identity: IdentityGuard;
  /**
   * Registers how to close a resource, right after creating it: it is closed at stop, or at once if the
   * start fails later (newest first, before the store).
   */
  onClose(name: string, close: () => unknown): void;
  /** What `parseSettings` returned; undefined without it. */
  settings: unknown;
  /** Events for `Subscription` resolvers: resolvers publish, subscriptions subscribe (pubsub.ts). */
  pubsub: PubSub;
}

export interface SubgraphParts<DB> {
  resolvers: ResolverMap;
  /** Extra HTTP routes. They are not behind the identity check: each guards itself. */
  routes?(app: FastifyInstance): void | Promise<void>;
  /** Apollo Server plugins of the subgraph's own, after the kit's (e.g. dalet's partial mutation errors). */
  plugins?: ApolloServerPlugin<object>[];
  /** Runs at stop, after in-flight requests finished and before the store closes (`onClose` is the newer way). */
  close?(): Promise<void>;
}

export interface SubgraphOptions {
  dataDir: string;
  /** HMAC secret shared with the gateway (see identity.ts). */
  identitySecret: string;
  logger: Logger;
  /** The subgraph's own settings (e.g. BOOTSTRAP_ADMIN_KEY for accounts), read by the entry point. */
  env: Readonly<Record<string, string | undefined>>;
  /** Called with the SQL of every query the store runs (see store.ts). Default: none. */
  onQuery?: (sql: string) => void;
}

export interface SubgraphService<DB> {
  app: FastifyInstance;
  store: Store<DB>;
  /** starting, ready (once fastify is ready), stopping, stopped; `/ready` answers 200 only when ready. */
  readonly state: LifecycleState;
  /** Finishes in-flight requests, then closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Requests not logged: the health and readiness probes, and Prometheus' scrapes. */
const QUIET_PATHS = /^\/(health|ready|metrics)(\?|$)/;

export async function buildSubgraph<DB>(definition: SubgraphDefinition<DB>, options: SubgraphOptions): Promise<SubgraphService<DB>> {
  const { logger } = options;
  // Every setting is checked before anything is opened: a bad value stops the start with nothing to undo.
  const shared = parseSubgraphSettings(options.env);
  const settings = definition.parseSettings?.(options.env);
  const log = logger.child({ subgraph: definition.name });
  const lifecycle = createLifecycle(log);
  try {
    return await assemble(definition, options, { log, lifecycle, settings, shared });
  } catch (error) {
    // Whatever was created before the failure is closed, so that a failed start leaves nothing open.
    await lifecycle.close().catch(() => {});
    throw error;
  }
}

interface Assembly {
  log: Logger;
  lifecycle: Lifecycle;
  settings: unknown;
  shared: SubgraphSettings;
}

async function assemble<DB>(
  definition: SubgraphDefinition<DB>,
  options: SubgraphOptions,
  assembly: Assembly,
): Promise<SubgraphService<DB>> {
  const { log, lifecycle, settings, shared } = assembly;
  const store = await openStore<DB>({
    name: definition.name,
    dataDir: options.dataDir,
    databaseUrl: shared.databaseUrl,
    migrations: definition.migrations,
    onQuery: options.onQuery,
    log,
  });
  lifecycle.onClose('store', () => store.close());
  const windowMs = shared.identityWindowMs;
  const replay = await createReplayGuard({ windowMs, redisUrl: shared.redisUrl, namespace: definition.name, logger: log });
  lifecycle.onClose('replay guard', () => replay.close());
  const identity = createIdentityGuard({ secret: options.identitySecret, audience: definition.name, windowMs, replay });
  const pubsub = createPubSub({ namespace: definition.name, redisUrl: shared.redisUrl, logger: log });
  lifecycle.onClose('pub/sub', () => pubsub.close());
  const parts = await definition.create({ store, options, log, settings, onClose: lifecycle.onClose, identity, pubsub });
  if (parts.close) lifecycle.onClose(`${definition.name} parts`, parts.close);

  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    // Probes and scrapes come every few seconds: their request lines would drown the rest of the log.
    logController: new LogController({ disableRequestLogging: (request) => QUIET_PATHS.test(request.url) }),
    ...serverLimitOptions(shared.serverLimits),
  });
  app.server.maxConnections = shared.serverLimits.maxConnections;
  app.decorateRequest('principal', null as never);
  const tracing = createTracing(definition.name, options.env);
  lifecycle.onClose('tracing', () => tracing.shutdown());
  registerSubgraphTracing(app, tracing, definition.name);
  keepRawBodies(app);
  closeGracefully(app);
  // Before the Apollo server: a failed start that never started Apollo still closes fastify.
  lifecycle.onClose('http server', () => app.close());

  const schema = buildSubgraphSchema({ typeDefs: parse(readSubgraphSdl(definition)), resolvers: parts.resolvers });
  requireResolvedFieldsInSchema(schema, parts.resolvers);
  const apollo = new ApolloServer<SubgraphContext<DB>>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(definition.errorStyle, log),
    // Inline traces would tell every caller our resolvers' timings; usage reporting is not used.
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginInlineTraceDisabled(),
      resolverTracingPlugin(tracing),
      ...((parts.plugins ?? []) as ApolloServerPlugin<SubgraphContext<DB>>[]),
    ],
  });
  await apollo.start();
  // Apollo's drain plugin closes fastify (finishing requests in flight), then Apollo stops.
  lifecycle.onClose('apollo server', () => apollo.stop());

  measureSubgraph(app, definition.name, { token: shared.metricsToken });
  const formatError = maskUnexpectedErrors(definition.errorStyle, log);
  const subscriptions = await registerSubscriptions(app, {
    schema,
    formatError,
    context: (request) => ({ principal: request.principal, db: store.db, log: request.log, requestId: request.id }),
  });
  const graphqlRoute = {
    url: '/graphql',
    // After the body is read: the signature covers it.
    // Also before a WebSocket upgrade (subscriptions.ts), whose start is not a write.
    preValidation: async (request: FastifyRequest, reply: FastifyReply) => {
      const writes = !request.ws && mayWrite(request.method === 'GET' ? request.query : request.body);
      const verdict = await identity.check(request, { writes });
      if (!verdict.ok) {
        request.log.warn({ reason: verdict.reason }, 'refused a request not signed by the gateway');
        return reply.code(401).send({
          errors: [{ message: 'This service only answers the gateway', extensions: { code: 'UNAUTHENTICATED' } }],
        });
      }
      request.principal = verdict.principal;
    },
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => ({
        principal: request.principal,
        db: store.db,
        log: request.log,
        requestId: request.id,
        trace: request.trace,
      }),
    }) as RouteHandlerMethod,
  };
  app.route({ ...graphqlRoute, method: 'POST' });
  // @fastify/websocket takes upgrades on the GET route only.
  app.route({ ...graphqlRoute, method: 'GET', wsHandler: subscriptions });
  registerHealthRoutes(app, lifecycle);
  app.addHook('onReady', async () => lifecycle.markReady());
  await parts.routes?.(app);

  return {
    app,
    store,
    get state() {
      return lifecycle.state;
    },
    stop: () => lifecycle.close(),
  };
}

/** The subgraph's SDL files as one text, in order. */
export function readSubgraphSdl(definition: Pick<SubgraphDefinition<unknown>, 'schemaUrl'>): string {
  return schemaUrls(definition)
    .map((url) => readFileSync(url, 'utf8'))
    .join('\n');
}

export function schemaUrls(definition: Pick<SubgraphDefinition<unknown>, 'schemaUrl'>): readonly URL[] {
  return definition.schemaUrl instanceof URL ? [definition.schemaUrl] : definition.schemaUrl;
}

/** Resolvers the SDL has no field for are silently dropped by `buildSubgraphSchema`: a typo would go unseen. */
function requireResolvedFieldsInSchema(schema: GraphQLSchema, resolvers: ResolverMap): void {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!type) throw new Error(`resolvers for ${typeName}, which the SDL does not define`);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const fieldName of Object.keys(fields as object)) {
      if (!fieldName.startsWith('__') && !type.getFields()[fieldName])
        throw new Error(`a resolver for ${typeName}.${fieldName}, which the SDL does not define`);
    }
  }
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
