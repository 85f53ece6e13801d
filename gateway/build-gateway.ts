/**
 * Assembles the gateway without listening: fastify + Apollo Server + ApolloGateway over the supergraph
 * source chosen by the configuration. Each concern (fetching, identity, supergraph source) lives in its own
 * module; this file only wires them together.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyCors from '@fastify/cors';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { closeGracefully } from '../core/graceful-close.ts';
import { serverLimitOptions } from '../core/server-limits.ts';
import { loadOrCreateIdentitySecret, type Principal } from '../core/identity.ts';
import { measureHttpRequests } from '../core/metrics.ts';
import { maskUnexpected } from './http/mask-errors.ts';
import { registerProbes } from './http/probes.ts';
import { echoRequestId, requestIdOf } from './http/request-id.ts';
import type { GatewayConfig } from './config.ts';
import { createSubgraphFetcher, createSubgraphPool } from './execution/fetcher.ts';
import { createPlanExecution } from './execution/plan-execution.ts';
import { SubgraphDataSource, type GatewayContext } from './execution/subgraph-data-source.ts';
import { createInflightDeduplication } from './execution/inflight-deduplication.ts';
import { subgraphResilienceByName } from './execution/subgraph-resilience.ts';
import { registerGraphQLRoute } from './http/graphql-route.ts';
import fastifyWebsocket from '@fastify/websocket';
import { subscriptionStartPlugin } from './ws/subscription-plan.ts';
import { createSubscriptionStarter } from './ws/subscription-starter.ts';
import { webSocketHandler } from './ws/ws-transport.ts';
import { subscriptionStreams } from './http/subscription-streams.ts';
import { createExplorer } from './explorer/explorer.ts';
import { registerHttpErrors } from './http/errors.ts';
import { operationLogPlugin, registerOperationLog } from './http/operation-log.ts';
import { planTracing, registerRequestTracing } from './http/request-trace.ts';
import { createTracing } from '../core/tracing.ts';
import { createOperationCaches } from './execution/operation-caches.ts';
import { createGatewayMetrics } from './metrics/gateway-metrics.ts';
import { buildMetricsServer } from './metrics/metrics-server.ts';
import { authenticationStage, createAuthenticator, refuseFailedAuthentication } from './pipeline/authentication.ts';
import { authorizationPlugin } from './pipeline/authorization/authorization-plugin.ts';
import { documentLimitsStage } from './pipeline/document-limits.ts';
import { executeStage } from './pipeline/execute.ts';
import type { CallerRequest } from './pipeline/gateway-request.ts';
import { noIntrospection } from './pipeline/introspection.ts';
import { operationLimitRules } from './pipeline/operation-limits.ts';
import { apolloStages, createPipeline } from './pipeline/pipeline.ts';
import { createRateLimits } from './pipeline/rate-limit.ts';
import { createAdmission } from './pipeline/admission.ts';
import { fetchSubgraphSdl } from './supergraph/composition.ts';
import { createSubgraphHealth } from './supergraph/subgraph-health.ts';
import { NO_SECURITY_DIRECTIVES } from './supergraph/security-directives.ts';
import { NO_FIELD_OWNERS } from './supergraph/field-owners.ts';
import { readSupergraph } from './supergraph/supergraph-document.ts';
import { graphqlPayload, type GatewayRequest } from './pipeline/gateway-request.ts';
import { styleOfPayload } from './pipeline/error-shapes.ts';
import { supergraphFromConfig, supergraphFromFile, type SupergraphSourceOptions } from './supergraph/supergraph-source.ts';

export interface GatewayDependencies {
  logger: Logger;
  /** Who is calling. Default: API keys and tokens checked with accounts (pipeline/authentication.ts). */
  authenticate?(request: CallerRequest): Promise<Principal>;
}

export interface GatewayService {
  app: FastifyInstance;
  /** The server of `/metrics` (the entry point listens on it), unless METRICS_PORT equals PORT and `app` serves it. */
  metricsApp: FastifyInstance | undefined;
  /** Stops taking requests, finishes those in flight, closes subgraph connections. Safe to call twice. */
  stop(): Promise<void>;
}

export async function buildGateway(config: GatewayConfig, { logger, authenticate }: GatewayDependencies): Promise<GatewayService> {
  const identitySecret = config.identitySecret ?? loadOrCreateIdentitySecret(config.dataDir);
  const traffic = config.subgraphTraffic;
  const pool = createSubgraphPool(traffic.maxConnections);
  const fetcherFor = (timeoutMs: number) => createSubgraphFetcher({ timeoutMs, pool });
  const metrics = createGatewayMetrics({ maxOperationNames: config.metricsMaxOperationNames });

  const sourceOptions: SupergraphSourceOptions = {
    logger: logger.child({ component: 'supergraph' }),
    pollIntervalMs: config.pollIntervalMs,
    onReload: metrics.supergraphReloaded,
    fetchSdl: (url, name) => fetchSubgraphSdl(url, name, fetcherFor(config.subgraphTimeoutMs), identitySecret),
  };
  const planExecution = createPlanExecution({
    onFallback: metrics.planExecutionFellBack,
    logger: logger.child({ component: 'plan-execution' }),
  });
  const tracing = createTracing('gateway', config.env);
  const subgraphCallLogger = logger.child({ component: 'subgraph-call' });
  const plans = planTracing(tracing);
  const caches = createOperationCaches(config);
  const deduplication = traffic.deduplication ? createInflightDeduplication() : undefined;
  // One breaker and retry budget per subgraph name, kept across supergraph reloads.
  const resilience = subgraphResilienceByName((name) => ({
    subgraph: name,
    fetcher: metrics.measureFetches(name, fetcherFor(config.subgraphTimeouts[name] ?? config.subgraphTimeoutMs)),
    retries: traffic.retries,
    breaker: traffic.breaker,
    onRetry: metrics.subgraphRetried,
    onCircuitChange: metrics.circuitChanged,
  }));
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphPath
      ? supergraphFromFile(config.supergraphPath, sourceOptions)
      : supergraphFromConfig(config.supergraphConfigPath, config.env, sourceOptions),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: url!,
        resilience: resilience.of(name),
        identitySecret,
        tracing,
        logger: subgraphCallLogger,
        deduplication,
        headerPropagation: traffic.headers,
        onDeduplicated: metrics.subgraphFetchDeduplicated,
      }),
    logger: logger.child({ component: 'apollo-gateway' }),
    experimental_didResolveQueryPlan: (resolved) => {
      plans.planResolved(resolved.requestContext.context as GatewayContext);
      planExecution.learn(resolved);
    },
    queryPlannerConfig: { cache: caches.queryPlanStore },
  });

  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestIdOf,
    return503OnClosing: true,
    // One line per request, written by operation-log.ts, in place of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    ...serverLimitOptions(config.serverLimits),
  });
  app.server.maxConnections = config.serverLimits.maxConnections;
  echoRequestId(app);
  closeGracefully(app);
  registerHttpErrors(app, { graphqlPath: '/graphql', maxBodyBytes: config.operationLimits.maxBodyBytes });
  registerOperationLog(app, '/graphql');
  registerRequestTracing(app, tracing);
  gateway.onSchemaLoadOrUpdate(metrics.supergraphLoaded);
  measureHttpRequests(app, metrics.registry);
  const metricsApp = buildMetricsServer(app, metrics, {
    separate: config.metricsPort !== config.port,
    token: config.metricsToken,
    limits: config.serverLimits,
    logger,
  });

  const authenticator = createAuthenticator({
    identitySecret,
    issuers: config.authIssuers,
    cacheTtlMs: config.authCacheTtlMs,
    negativeCacheTtlMs: config.authNegativeCacheTtlMs,
    cacheMaxEntries: config.authCacheMaxEntries,
    staleIfErrorMs: config.authStaleIfErrorMs,
    fetcher: fetcherFor(config.subgraphTimeoutMs),
    logger: logger.child({ component: 'authentication' }),
    onFailure: metrics.authenticationFailed,
    onCacheLookup: metrics.authCacheLookup,
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => authenticator.useSupergraph(coreSupergraphSdl));
  const subgraphHealth = createSubgraphHealth({
    intervalMs: config.subgraphHealthIntervalMs,
    graceMs: config.readyGraceMs,
    identitySecret,
    fetcher: fetcherFor(config.subgraphTimeoutMs),
    logger: logger.child({ component: 'subgraph-health' }),
  });

  // The explorer needs introspection to show the schema; without it, no landing page at all (Apollo's
  // default would load Apollo's own from a CDN).
  const explorer = config.introspection ? createExplorer() : undefined;
  explorer?.registerRoutes(app);
  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'apollo-require-preflight',
        'x-apollo-operation-name',
        'x-request-id',
        'traceparent',
      ],
      exposedHeaders: ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'],
      maxAge: 600,
    });
  }

  // What the served supergraph declares: its fields' meaning for security (@loginAttempt, ...), their owners.
  // Parsed once per reload, and shared by every reader here.
  let securityDirectives = NO_SECURITY_DIRECTIVES;
  let fieldOwners = NO_FIELD_OWNERS;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    const supergraph = readSupergraph(coreSupergraphSdl);
    securityDirectives = supergraph.securityDirectives;
    fieldOwners = supergraph.fieldOwners;
    subgraphHealth.useSupergraph(supergraph);
    admission.useSupergraph(supergraph.document);
  });
  const errorStyleOf = (request: GatewayRequest) => styleOfPayload(graphqlPayload(request), fieldOwners, config.errorStyles);

  const rateLimits = await createRateLimits({
    loginFields: () => securityDirectives.loginFields,
    errorStyleOf,
    limits: config.rateLimits,
    windowMs: config.rateLimitWindowMs,
    loginLimit: config.loginRateLimit,
    loginWindowMs: config.loginRateLimitWindowMs,
    costBudget: config.demandControl.costBudget,
    costBudgetWindowMs: config.demandControl.costBudgetWindowMs,
    redisUrl: config.redisUrl,
    logger: logger.child({ component: 'rate-limit' }),
    onRejected: metrics.rateLimited,
  });
  app.addHook('onClose', rateLimits.close);
  const { persistedDocuments, demandControl } = config;
  const admission = createAdmission({ persistedDocuments, demandControl, rateLimits, registry: metrics.registry, logger });
  app.addHook('onClose', async () => admission.close());

  const inApollo = apolloStages({
    observe: [
      fastifyApolloDrainPlugin(app),
      explorer?.plugin ?? ApolloServerPluginLandingPageDisabled(),
      metrics.apolloPlugin,
      operationLogPlugin(),
      plans.plugin,
    ],
    operationLimits: [...operationLimitRules(config.operationLimits), ...(config.introspection ? [] : [noIntrospection])],
    authorization: authorizationPlugin({ issuers: config.authIssuers, errorStyles: config.errorStyles }),
    demandControl: admission.demandControl,
    credentialChanges: authenticator.plugin,
    subscriptionStart: subscriptionStartPlugin(gateway),
    planExecution: planExecution.plugin,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Introspection is refused by our own rule below, which speaks to clients.
    introspection: true,
    documentStore: caches.documentStore,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: config.operationLimits.batchedRequests,
    parseOptions: { maxTokens: config.operationLimits.maxTokens },
    validationRules: inApollo.validationRules,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
    // Off: persisted documents and APQ are resolved before the login rate limit reads the text (pipeline/persisted-documents.ts).
    persistedQueries: false,
    plugins: inApollo.plugins,
  });
  await apollo.start();

  const pipeline = createPipeline({
    authenticate: authenticationStage(authenticate ?? authenticator.authenticate),
    limitRequests: rateLimits.limitRequests,
    resolvePersistedDocuments: admission.resolvePersistedDocuments,
    limitLoginAttempts: rateLimits.limitLoginAttempts,
    refuseFailedAuthentication: (request) => refuseFailedAuthentication(request, errorStyleOf),
    checkDocumentLimits: documentLimitsStage(config.operationLimits),
    execute: executeStage(apollo),
  });
  const subscriptions = createSubscriptionStarter({
    pipeline,
    identitySecret,
    maxSubscriptionsPerCaller: config.maxSubscriptionsPerCaller,
    upstreamUrls: config.subscriptionUpstreamUrls,
    metrics,
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => subscriptions.useSchema(apiSchema));
  const formatError = (error: GraphQLError) => maskUnexpected(error.toJSON(), error, logger);
  await app.register(fastifyWebsocket);
  registerGraphQLRoute(app, {
    pipeline,
    bodyLimit: config.operationLimits.maxBodyBytes,
    wsHandler: webSocketHandler({ pipeline, subscriptions, formatError, keepAliveMs: config.subscriptionKeepAliveMs }),
    streamSubscription: subscriptionStreams({ subscriptions, formatError }),
  });

  let ready = true;
  registerProbes(app, { stopping: () => !ready, unreachable: () => subgraphHealth.unreachable(), circuits: resilience.circuits });

  let stopping: Promise<void> | undefined;
  return {
    app,
    metricsApp,
    stop: () =>
      (stopping ??= (async () => {
        ready = false;
        subgraphHealth.stop();
        await subscriptions.endAll('the gateway is stopping');
        // Apollo's drain plugin closes fastify (finishing requests in flight), then the gateway stops.
        await apollo.stop();
        await pool.agent.close();
        await metricsApp?.close();
        await tracing.shutdown();
      })()),
  };
}
