/**
 * Dalet subscription fan-out through the gateway: `node --import tsx bench/dalet-subscriptions.ts`
 * (`npm run bench:dalet-subscriptions`). SUBSCRIBERS (default 1000) `categories` subscriptions over
 * WebSocket, ten per socket, held by USERS (default 10) Dalet users who are not administrators (so that every
 * notification is checked against their View right), then EVENTS (default 20) `updateCategory` mutations
 * back to back through the gateway, each notifying every subscriber. Prints notifications delivered per
 * second and the delay from the change (`receivedAt`) to delivery, p50 and p99. Everything runs in this one
 * process: the numbers compare runs, they are not a capacity.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startPlatform } from '../test/helpers/platform.ts';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000);
const USERS = Number(process.env.USERS ?? 10);
const EVENTS = Number(process.env.EVENTS ?? 20);
const PER_SOCKET = 10;
const ADMIN = { username: 'bench_admin', password: 'bench-admin-password' };

const platform = await startPlatform({
  subgraphs: ['dalet'],
  // A wider identity window than the 5 s default: gateway and subgraph share this process, and on a loaded
  // machine the subgraph reads the upstream upgrades of 1,000 subscriptions, signed when written, only after
  // the gateway has started them, past the window (bench/README.md, Subscriptions).
  subgraphEnv: { DALET_BOOTSTRAP_USER: ADMIN.username, DALET_BOOTSTRAP_PASSWORD: ADMIN.password, IDENTITY_WINDOW_MS: '60000' },
  gatewayEnv: {
    MAX_SUBSCRIPTIONS_PER_CALLER: String(SUBSCRIBERS),
    RATE_LIMITS: 'anonymous=1000000000,authenticated=1000000000',
    LOGIN_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'warn',
  },
});

async function call(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<any> {
  const { body } = await platform.query(query, variables, token ? { authorization: `Bearer ${token}` } : {});
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
const login = async (username: string, password: string): Promise<string> =>
  (await call(undefined, 'mutation ($input: LoginInput!) { login(input: $input) { token } }', { input: { username, password } })).login
    .token;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function measure() {
  const admin = await login(ADMIN.username, ADMIN.password);
  const tokens: string[] = [];
  for (let user = 0; user < USERS; user++) {
    const input = { login: `bench_${user}`, firstName: 'Bench', lastName: String(user), password: `bench-${user}-password` };
    await call(admin, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }', { input });
    tokens.push(await login(input.login, input.password));
  }
  const toReview = (await call(admin, '{ categories(input: { where: { fullNames: ["CATEGORIES/To review"] } }) { categories { id } } }'))
    .categories.categories[0].id;
  const category = (
    await call(admin, 'mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } } }', {
      input: { name: 'Bench', parentCategoryId: toReview },
    })
  ).createCategory.category.id;
  let renames = 0;
  const rename = (name = `Bench ${++renames}`) =>
    call(admin, 'mutation ($input: UpdateCategoryInput!) { updateCategory(input: $input) { category { id } } }', {
      input: { categoryId: category, name },
    });

  const clients: Client[] = [];
  const delays: number[] = [];
  let ready = 0;
  let failed = 0;
  let measuring = false;
  const query =
    'subscription { categories(input: { notificationTypes: [MODIFIED] }) { notifications { contents { receivedAt } category { id name } } } }';
  for (let socket = 0; socket < SUBSCRIBERS / PER_SOCKET; socket++) {
    const client = createClient({
      url: platform.gatewayUrl.replace(/^http/, 'ws'),
      lazy: false,
      onNonLazyError: () => {},
      retryAttempts: 0,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${tokens[socket % USERS]}` },
    });
    clients.push(client);
    for (let each = 0; each < PER_SOCKET; each++) {
      let first = true;
      client.subscribe(
        { query },
        {
          next: (event) => {
            const notifications = (event.data as any)?.categories?.notifications;
            if (!notifications) return void failed++;
            if (first) {
              first = false;
              ready++;
            }
            if (measuring) for (const { contents } of notifications) delays.push(Date.now() - Date.parse(contents[0].receivedAt));
          },
          error: () => void failed++,
          complete: () => {},
        },
      );
    }
  }
  // Warm-up renames until every subscription is live upstream.
  const warmUpUntil = Date.now() + 120_000;
  while (ready + failed < SUBSCRIBERS && Date.now() < warmUpUntil) {
    await rename();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  measuring = true;
  const started = performance.now();
  for (let event = 0; event < EVENTS; event++) await rename();
  while (delays.length < ready * EVENTS && performance.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 20));
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((client) => client.dispose()));
  const sorted = [...delays].sort((a, b) => a - b);
  return {
    subscribers: SUBSCRIBERS,
    users: USERS,
    started: ready,
    failed,
    events: EVENTS,
    delivered: delays.length,
    notificationsPerSecond: Math.round(delays.length / elapsed),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

try {
  console.log(JSON.stringify(await measure()));
} finally {
  await platform.stop();
}
