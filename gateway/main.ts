/** Starts the gateway: `npm run start:gateway`. Configuration: gateway/config.ts and README.md. */
import { parseCommandLine } from '../core/cli.ts';
import { parseOrExit } from '../core/settings.ts';
import { stopOnSignals } from '../core/graceful-close.ts';
import { createLogger } from '../core/logger.ts';
import { buildGateway } from './build-gateway.ts';
import { parseGatewayConfig } from './config.ts';

parseCommandLine(`usage: npm run start:gateway

Starts the gateway alone. It is configured by environment variables only (README.md, "Configuration").`);

// @apollo/gateway otherwise reports usage to Apollo; it reads this when the gateway is constructed.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

// A bad setting stops the start with one line naming the variable, and exit code 1.
const config = parseOrExit('gateway', () => parseGatewayConfig(process.env));
const logger = createLogger(config.logLevel, 'gateway', config.logFormat);

try {
  const gateway = await buildGateway(config, { logger });
  const address = await gateway.app.listen({ host: config.host, port: config.port });
  logger.info(`gateway serving ${address}/graphql`);
  if (gateway.metricsApp)
    logger.info(`metrics served on ${await gateway.metricsApp.listen({ host: config.metricsHost, port: config.metricsPort })}/metrics`);

  stopOnSignals(gateway.stop, logger);
} catch (error) {
  // A composition error at start lists every error in its message.
  logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
}
