import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Apollo's packages are CommonJS and load graphql's CommonJS build; Vite would give ESM tests the .mjs
    // build, and two copies of graphql break its `instanceof` checks. One copy for everyone.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'gateway/**/*.test.ts', 'subgraphs/**/*.test.ts'],
    env: { APOLLO_TELEMETRY_DISABLED: '1' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start real services; two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
