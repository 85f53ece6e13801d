/**
 * Assembles the gateway without listening: fastify + Apollo Server + ApolloGateway over the supergraph
 * source chosen by the configuration. Each concern (fetching, identity, supergraph source) lives in its own
 * module; this file only wires them together.
 */
import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RouteHandlerMethod } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { cognitiveCloudError, inSeedShape } from '../subgraphs/kit/errors.ts';
import { closeGracefully } from '../subgraphs/kit/graceful-close.ts';
import { loadOrCreateIdentitySecret, type Principal } from '../subgraphs/kit/identity.ts';
import { authenticationHook, createAuthenticator, refuseFailedAuthentication } from './authentication.ts';
import { authorizationPlugin } from './authorization/authorization-plugin.ts';
import { measureHttpRequests } from '../subgraphs/kit/metrics.ts';
import { fetchSubgraphSdl } from './composition.ts';
import { withClientPath } from './error-paths.ts';
import type { GatewayConfig } from './config.ts';
import { createSubgraphAgent, createSubgraphFetcher } from './fetcher.ts';
import { operationLimitRules } from './operation-limits.ts';
import { createGatewayMetrics } from './metrics/gateway-metrics.ts';
import { buildMetricsServer } from './metrics/metrics-server.ts';
import { registerRateLimits } from './rate-limit.ts';
import { createPlanExecution } from './plan-execution.ts';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source.ts';
import { supergraphFromConfig, supergraphFromFile, type SupergraphSourceOptions } from './supergraph-source.ts';

export interface GatewayDependencies {
  logger: Logger;
  /** Who is calling. Default: API keys and tokens checked with accounts (authentication.ts). */
  authenticate?: (request: FastifyRequest) => Promise<Principal>;
}

export interface GatewayService {
  app: FastifyInstance;
  /** The server of `/metrics` when METRICS_PORT is set (the entry point listens on it); otherwise `app` serves it. */
  metricsApp: FastifyInstance | undefined;
  /** Stops taking requests, finishes those in flight, closes subgraph connections. Safe to call twice. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildGateway(config: GatewayConfig, { logger, authenticate }: GatewayDependencies): Promise<GatewayService> {
  const identitySecret = config.identitySecret ?? loadOrCreateIdentitySecret(config.dataDir);
  const agent = createSubgraphAgent();
  const fetcherFor = (timeoutMs: number) => createSubgraphFetcher({ timeoutMs, agent });
  const metrics = createGatewayMetrics({ maxOperationNames: config.metricsMaxOperationNames });

  const sourceOptions: SupergraphSourceOptions = {
    logger: logger.child({ component: 'supergraph' }),
    pollIntervalMs: config.pollIntervalMs,
    onReload: metrics.supergraphReloaded,
    fetchSdl: (url) => fetchSubgraphSdl(url, fetcherFor(config.subgraphTimeoutMs), identitySecret),
  };
  const planExecution = createPlanExecution();
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphPath
      ? supergraphFromFile(config.supergraphPath, sourceOptions)
      : supergraphFromConfig(config.supergraphConfigPath, config.env, sourceOptions),
    buildService: ({ name, url }) =>
      new SubgraphDataSource(url!, metrics.measureFetches(name, fetcherFor(config.subgraphTimeouts[name] ?? config.subgraphTimeoutMs)), identitySecret),
    logger: logger.child({ component: 'apollo-gateway' }),
    experimental_didResolveQueryPlan: planExecution.learn,
  });

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    trustProxy: config.trustProxy,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.decorateRequest('principal', null as never);
  app.decorateRequest('authenticationFailure', null);
  closeGracefully(app);
  gateway.onSchemaLoadOrUpdate(metrics.supergraphLoaded);
  measureHttpRequests(app, metrics.registry);
  const metricsApp = buildMetricsServer(app, metrics, { separate: config.metricsPort !== undefined, token: config.metricsToken, logger });

  const authenticator = createAuthenticator({
    identitySecret,
    accountsUrl: config.accountsUrl,
    cacheTtlMs: config.authCacheTtlMs,
    negativeCacheTtlMs: config.authNegativeCacheTtlMs,
    cacheMaxEntries: config.authCacheMaxEntries,
    timeoutMs: config.subgraphTimeoutMs,
    dispatcher: agent,
    logger: logger.child({ component: 'authentication' }),
    onFailure: metrics.authenticationFailed,
    onCacheLookup: (hit) => metrics.authCacheLookup('credentials', hit),
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => authenticator.useSupergraph(coreSupergraphSdl));

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: config.operationLimits.batchedRequests,
    parseOptions: { maxTokens: config.operationLimits.maxTokens },
    validationRules: operationLimitRules(config.operationLimits),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
    // Off: a stored query sent by its hash alone would hide its login fields from the login rate limit.
    persistedQueries: false,
    plugins: [fastifyApolloDrainPlugin(app), metrics.apolloPlugin, authorizationPlugin(), authenticator.plugin, planExecution.plugin],
  });
  await apollo.start();
  const rateLimits = await registerRateLimits(app, {
    limits: config.rateLimits,
    windowMs: config.rateLimitWindowMs,
    loginLimit: config.loginRateLimit,
    loginWindowMs: config.loginRateLimitWindowMs,
    redisUrl: config.redisUrl,
    logger: logger.child({ component: 'rate-limit' }),
    onRejected: metrics.rateLimited,
  });

  let ready = true;
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    bodyLimit: config.operationLimits.maxBodyBytes,
    // Who is calling is settled before the body is read; checks that need the body run as preHandlers.
    // Bad credentials are refused by the LAST preHandler, so that the rate limits count them first.
    onRequest: authenticationHook(authenticate ?? authenticator.authenticate),
    preHandler: [...rateLimits, refuseFailedAuthentication],
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => ({ principal: request.principal, requestId: request.id }),
    }) as RouteHandlerMethod,
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => (ready ? { status: 'ready' } : reply.code(503).send({ status: 'stopping' })));

  let stopping: Promise<void> | undefined;
  return {
    app,
    metricsApp,
    stop: () =>
      (stopping ??= (async () => {
        ready = false;
        // Apollo's drain plugin closes fastify (finishing requests in flight), then the gateway stops.
        await apollo.stop();
        await agent.close();
        await metricsApp?.close();
      })()),
  };
}

/**
 * Errors nobody raised on purpose (a subgraph unreachable, a bug) are logged in full, answered vaguely.
 * A subgraph's HTTP error keeps its message ("503: Service Unavailable") but not the subgraph's internal
 * URL and body, which @apollo/gateway puts in `extensions.response`: those go to the log only. No path names
 * a subgraph's `_entities` (error-paths.ts).
 */
function maskUnexpected(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  formatted = withClientPath(formatted);
  if (formatted.extensions?.response !== undefined) {
    const { response, ...extensions } = formatted.extensions;
    logger.error({ response }, `subgraph call failed: ${formatted.message}`);
    formatted = { ...formatted, extensions };
  }
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR' || unwrapResolverError(error) instanceof GraphQLError) {
    return inSeedShape(formatted);
  }
  logger.error({ err: unwrapResolverError(error) }, 'unexpected error');
  return { ...cognitiveCloudError('INTERNAL_SERVER_ERROR', 'Internal server error').toJSON(), path: formatted.path };
}
