import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

const TESTS = ['test/**/*.test.ts', 'gateway/**/*.test.ts', 'subgraphs/**/*.test.ts'];
const E2E_TESTS = ['test/**/*.e2e.test.ts', 'gateway/**/*.e2e.test.ts', 'subgraphs/**/*.e2e.test.ts'];

export default defineConfig({
  resolve: {
    // Apollo's packages are CommonJS and load graphql's CommonJS build; Vite would give ESM tests the .mjs
    // build, and two copies of graphql break its `instanceof` checks. One copy for everyone.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    env: { APOLLO_TELEMETRY_DISABLED: '1' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start real services; two workers match the two cores CI has.
    maxWorkers: 2,
    // Two speeds (test/README.md): `unit` in process (fastify inject(), no sockets, no child processes),
    // `e2e` (*.e2e.test.ts) real services over HTTP. `npm run test:fast` runs the first alone.
    projects: [
      // Unit files share their workers' module cache: most of their time was importing Apollo, the gateway and
      // the subgraphs again for each file (the CPU time of `npm run test:fast` fell from 32 s to 12 s).
      // Nothing they test keeps state at module level; e2e files, which start services, stay isolated.
      { extends: true, test: { name: 'unit', include: TESTS, exclude: E2E_TESTS, isolate: false } },
      { extends: true, test: { name: 'e2e', include: E2E_TESTS } },
    ],
  },
});
