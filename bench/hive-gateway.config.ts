/**
 * The configuration Hive Gateway's CLI loads for the bench's `hive` and `hive-rust` targets
 * (bench/hive-gateway.ts): its production defaults (in-flight deduplication of subgraph requests on, error
 * masking on, one process), with neither GraphiQL nor the landing page, and logging at `warn` as ours.
 */
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({ graphiql: false, landingPage: false, logging: 'warn' });
