/**
 * `npm run bench:dalet`: the `assets` query with metadata through the gateway over a store of
 * BENCH_DALET_ASSETS (default 10,000) video assets, each with three metadata values, as the administrator.
 * Sequential requests (latency, not throughput), each scenario BENCH_DALET_REQUESTS times (default 200)
 * after a warm-up: a page of 100 assets (the default page) at a random place, a page of 1,000 (the largest),
 * and a metadata filter over the whole store. Prints p50/p99 and writes bench/results/dalet-assets.json.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { encodeCursor } from '../subgraphs/dalet/common/pagination.ts';
import { startPlatform } from '../test/helpers/platform.ts';

const assetCount = Number(process.env.BENCH_DALET_ASSETS ?? 10_000);
const requests = Number(process.env.BENCH_DALET_REQUESTS ?? 200);
// Within the gateway's MAX_BODY_BYTES (100 kB) a request.
const BATCH = 200;
const GENRES = ['Documentary', 'Drama', 'News', 'Sport'];

const platform = await startPlatform({
  subgraphs: ['dalet'],
  subgraphEnv: { DALET_BOOTSTRAP_USER: 'bench_admin', DALET_BOOTSTRAP_PASSWORD: 'bench-admin-password', LOG_LEVEL: 'warn' },
  gatewayEnv: { LOGIN_RATE_LIMIT: '1000', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000000' },
});

async function send(query: string, token?: string, variables?: Record<string, unknown>) {
  const { body } = await platform.query(query, variables, token ? { authorization: `Bearer ${token}` } : {});
  if (body.errors) throw new Error(`the bench query failed: ${JSON.stringify(body.errors[0])}`);
  return body.data;
}

try {
  const token = (await send('mutation { login(input: { username: "bench_admin", password: "bench-admin-password" }) { token } }')).login
    .token;
  const { categories } = await send('{ categories(input: { where: { fullNames: ["CATEGORIES/Archive"] } }) { categories { id } } }', token);
  const categoryId = categories.categories[0].id;

  const seeding = performance.now();
  let firstId: number | undefined;
  for (let made = 0; made < assetCount; made += BATCH) {
    const assets = Array.from({ length: Math.min(BATCH, assetCount - made) }, (_, index) => {
      const n = made + index;
      return {
        assetName: `Bench ${n}`,
        categoryId,
        itemCode: `BENCH-${n}`,
        metadata: [
          { field: { name: 'Genre' }, value: [GENRES[n % GENRES.length]] },
          { field: { name: 'Synopsis' }, value: [`Synopsis of asset ${n}`] },
          { field: { name: 'Title Duration' }, value: [`PT${(n % 60) + 1}M`] },
        ],
      };
    });
    const created = await send('mutation ($input: CreateVideoAssetsInput!) { createVideoAssets(input: $input) { assets { id } } }', token, {
      input: { assets },
    });
    firstId ??= Number(created.createVideoAssets.assets[0].id);
  }
  const seededSeconds = (performance.now() - seeding) / 1000;

  const SELECTION = `totalCount pageInfo { endCursor hasNextPage } assets { id name itemCode status { name } assetType { name }
    metadata { metadata { field { name } ... on TextMetadata { value } ... on PeriodMetadata { duration: value } } } }`;
  const scenarios: Record<string, () => string> = {
    'page of 100 with metadata': () => {
      const after = encodeCursor(firstId! - 1 + Math.floor(Math.random() * (assetCount - 100)));
      return `{ assets(input: { select: { first: 100, after: "${after}" } }) { ${SELECTION} } }`;
    },
    'page of 1,000 with metadata': () => `{ assets(input: { select: { first: 1000 } }) { ${SELECTION} } }`,
    'metadata filter, first 100': () =>
      `{ assets(input: { where: { metadata: [{ field: { name: "Genre" }, value: "Sport" }] }, select: { first: 100 } }) { ${SELECTION} } }`,
  };

  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const results: Record<string, { p50Ms: number; p99Ms: number; requests: number }> = {};
  for (const [name, query] of Object.entries(scenarios)) {
    for (let warm = 0; warm < 10; warm++) await send(query(), token);
    const took: number[] = [];
    for (let index = 0; index < requests; index++) {
      const start = performance.now();
      await send(query(), token);
      took.push(performance.now() - start);
    }
    took.sort((a, b) => a - b);
    results[name] = { p50Ms: Math.round(percentile(took, 50) * 10) / 10, p99Ms: Math.round(percentile(took, 99) * 10) / 10, requests };
  }

  const report = { assets: assetCount, seededSeconds: Math.round(seededSeconds), node: process.version, results };
  console.table(results);
  console.log(`${assetCount} assets seeded in ${report.seededSeconds} s`);
  writeFileSync(new URL('./results/dalet-assets.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await platform.stop();
}
