/**
 * Node flags every start of the gateway passes (package.json `start:gateway`, scripts/start-all.ts, the
 * Dockerfile, the benchmark). Measured with `npm run bench` (bench/README.md).
 *
 * - A larger young generation: a request's subgraph answers and its result live through several awaits, so
 *   with V8's default semi-space (16 MB at most) many are copied and promoted before they die. With 32 MB
 *   they mostly die young: about a third less CPU per request under `cross`.
 * - A fixed, moderate old-generation growth (x1.3 per full GC): under a high allocation rate V8 otherwise
 *   lets the old generation grow up to 4x its live size before collecting, which is most of the gateway's
 *   peak RSS; this keeps it about 80 MB lower under load at no measurable CPU cost.
 */
export const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=32', '--heap-growing-percent=30'];
