/**
 * Node flags every start of the gateway passes (package.json `start:gateway`, scripts/start-all.ts, the
 * Dockerfile, the benchmark).
 *
 * A larger young generation: a request's subgraph answers and its result live through several awaits, so
 * with V8's default semi-space (16 MB at most) most of them are copied out of the young generation and
 * promoted before they die. With 32 MB they mostly die young: under the `cross` benchmark, about a third
 * less CPU per request and a lower peak RSS (bench/README.md).
 */
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=32'];
