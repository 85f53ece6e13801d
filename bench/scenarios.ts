/**
 * What `npm run bench` sends: one query per scenario, the targets it is measured on, and the headers of
 * every request. bench/README.md says what each scenario shows.
 */

/**
 * Every process the bench can load; `direct` is the products subgraph itself, `proxy` bench/bare-proxy.ts,
 * `ours-nodedup` ours with SUBGRAPH_DEDUPLICATION=false: the A/B of in-flight deduplication in one run,
 * `ours-baseline` our gateway of another checkout (BENCH_BASELINE): the A/B of a change in one run.
 */
export type Target = 'direct' | 'proxy' | 'vanilla' | 'hive' | 'hive-rust' | 'ours' | 'ours-nodedup' | 'ours-baseline';
export type ScenarioName = 'single' | 'cross' | 'auth' | 'abstract' | 'heavy';

export interface Scenario {
  query: string;
  targets: Target[];
  /** Headers of every request of the scenario, made once the run's API key is known. */
  headers?: (apiKey: string) => Record<string, string>;
}

/** The gateways: every scenario that goes through one measures all of them (`ours-baseline` only when set). */
const GATEWAYS: Target[] = ['vanilla', 'hive', 'hive-rust', 'ours-baseline', 'ours'];

const SINGLE = 'query Single { topProducts(first: 5) { upc name price } }';

// Products, then inventory (with @requires) and reviews in parallel, each over 100 entities.
const CROSS = `query Cross {
  topProducts(first: 100) {
    upc name price weight inStock shippingEstimate
    reviews { id body author { id username } }
  }
}`;

// `cross` through a union: 100 entries, 80 products with entity fetches to inventory and reviews, 20
// categories; the reviews under an @include that clients would set, true by default.
const ABSTRACT = `query Abstract($withReviews: Boolean = true) {
  catalog(first: 100) {
    __typename
    ... on Product { upc name price weight inStock shippingEstimate reviews @include(if: $withReviews) { id body author { id username } } }
    ... on Category { id name }
  }
}`;

// The query of The Guild's federation gateways benchmark (graphql-hive/graphql-gateways-benchmark), as it
// is written there: users -> reviews -> product -> reviews -> author -> reviews -> product, and top
// products down to their reviews' authors' reviews, through nested fragments; five sequential steps of
// entity fetches over the four fixture subgraphs.
const HEAVY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users {
    ...User
    reviews {
      ...Review
      product {
        ...Product
        reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } }
      }
    }
  }
  topProducts {
    ...Product
    reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } }
  }
}`;

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  single: { query: SINGLE, targets: ['direct', 'proxy', ...GATEWAYS, 'ours-nodedup'] },
  cross: { query: CROSS, targets: [...GATEWAYS, 'ours-nodedup'] },
  auth: { query: CROSS, targets: ['ours'], headers: (apiKey) => ({ authorization: `Bearer ${apiKey}` }) },
  abstract: { query: ABSTRACT, targets: GATEWAYS },
  heavy: { query: HEAVY, targets: [...GATEWAYS, 'ours-nodedup'] },
};

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
