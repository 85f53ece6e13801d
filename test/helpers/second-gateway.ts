import { buildGateway, type GatewayService } from '../../gateway/build-gateway.ts';
import { parseGatewayConfig } from '../../gateway/config.ts';
import { IDENTITY_SECRET, postGraphQL, silentLogger, type GraphQLResponse, type Platform } from './platform.ts';

export interface SecondGateway {
  gateway: GatewayService;
  url: string;
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  stop(): Promise<void>;
}

/** Another gateway replica over the same subgraphs as `platform`, with its own settings; on port 0. */
export async function startSecondGateway(platform: Platform, env: Record<string, string> = {}): Promise<SecondGateway> {
  const config = parseGatewayConfig({
    DATA_DIR: platform.dataDir,
    SUPERGRAPH_CONFIG: platform.supergraphConfigPath,
    IDENTITY_SECRET,
    ...env,
  });
  const gateway = await buildGateway(config, { logger: silentLogger });
  const url = `${await gateway.app.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
  return { gateway, url, query: (query, variables, headers) => postGraphQL(url, query, variables, headers), stop: () => gateway.stop() };
}
