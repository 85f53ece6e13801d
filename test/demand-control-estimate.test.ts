/**
 * The cost estimate and the actual cost, in process, over a supergraph composed from a subgraph that declares
 * `@cost` and `@listSize` the way Federation 2.9 imports them: the IBM cost spec's examples (a weighted field
 * in a list sized by a slicing argument, a connection sized through `sizedFields`) and Apollo's defaults.
 */
import { composeServices } from '@apollo/composition';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { actualCost } from '../gateway/pipeline/demand-control/actual-cost.ts';
import { readCostDirectives } from '../gateway/pipeline/demand-control/cost-directives.ts';
import { estimateCost } from '../gateway/pipeline/demand-control/cost-estimate.ts';

const SUBGRAPH = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
type User @key(fields: "id") { id: ID! name: String age: Int @cost(weight: 2) }
type Book @cost(weight: 3) { title: String }
type UserEdge { node: User }
type UserConnection { edges: [UserEdge] }
input Filter { max: Int secret: String @cost(weight: 7) }
type Query {
  users(max: Int): [User] @listSize(slicingArguments: ["max"])
  filtered(filter: Filter): [User] @listSize(assumedSize: 4)
  usersConnection(first: Int, last: Int): UserConnection @listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"])
  anyPage(first: Int, last: Int): [User] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
  topUsers: [User] @listSize(assumedSize: 3)
  everyone: [User]
  books: [Book] @listSize(assumedSize: 5)
  search(term: String @cost(weight: 20)): User
}
type Mutation { addUser(name: String @cost(weight: 4)): User }
`;

const composed = composeServices([{ name: 'people', url: 'http://people.invalid/graphql', typeDefs: parse(SUBGRAPH) }]);
if (composed.errors) throw composed.errors[0];
const supergraph = parse(composed.supergraphSdl);
const schema = buildSchema(composed.supergraphSdl);
const directives = readCostDirectives(supergraph);

function inputs(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return { schema, document, operation, variables, directives, defaultListSize: 10 };
}
const estimate = (query: string, variables?: Record<string, unknown>) => estimateCost(inputs(query, variables));

describe('the estimated cost of an operation', () => {
  it("multiplies a list by its slicing argument, from the text or a variable (the spec's users(max:) example)", () => {
    // 5 users, each an object (1) and its weighted age (2).
    expect(estimate('{ users(max: 5) { age } }')).toEqual({ cost: 15, slicingViolations: [] });
    expect(estimate('query ($n: Int) { users(max: $n) { age name } }', { n: 20 }).cost).toBe(60);
  });

  it('sizes the fields `sizedFields` names, not the connection itself', () => {
    // connection 1 + edges 4 × (edge 1 + node (1 + age 2)).
    expect(estimate('{ usersConnection(first: 4) { edges { node { age } } } }').cost).toBe(17);
  });

  it('requires exactly one slicing argument unless the field says otherwise, and takes the largest given', () => {
    expect(estimate('{ usersConnection(first: 2, last: 3) { edges { node { id } } } }').slicingViolations).toEqual([
      'Query.usersConnection',
    ]);
    expect(estimate('{ users { id } }').slicingViolations).toEqual(['Query.users']);
    expect(estimate('{ anyPage(first: 2, last: 6) { id } }')).toEqual({ cost: 6, slicingViolations: [] });
  });

  it("takes assumedSize, else the default list size; a type's weight; scalars and __typename at 0", () => {
    expect(estimate('{ topUsers { name __typename } }').cost).toBe(3);
    expect(estimate('{ everyone { id } }').cost).toBe(10);
    expect(estimate('{ books { title } }').cost).toBe(15);
  });

  it("adds argument and input-field weights once, a mutation's base cost of 10, and nothing for skipped fields", () => {
    expect(estimate('{ search(term: "a") { name } }').cost).toBe(21);
    expect(estimate('{ filtered(filter: { max: 2, secret: "s" }) { id } }').cost).toBe(4 + 7);
    expect(estimate('mutation { addUser(name: "x") { name } }').cost).toBe(10 + 1 + 4);
    expect(estimate('query ($no: Boolean!) { users(max: 5) @include(if: $no) { id } topUsers { id } }', { no: false }).cost).toBe(3);
  });

  it('counts fragments like the fields they spread', () => {
    expect(estimate('{ users(max: 5) { ...F } } fragment F on User { age }').cost).toBe(15);
  });
});

describe('the actual cost of an answer', () => {
  it('counts the lists as long as they came back, with the same weights', () => {
    const query = '{ users(max: 50) { age } usersConnection(first: 10) { edges { node { age } } } search(term: "x") { id } }';
    const data = {
      users: [{ age: 1 }, { age: 2 }],
      usersConnection: { edges: [{ node: { age: 3 } }] },
      search: null,
    };
    // users 2 × 3; connection 1 + one edge (1 + node 3); search's argument 20, its null value nothing.
    expect(actualCost(inputs(query), data)).toBe(6 + 5 + 20);
    expect(estimate(query).cost).toBe(150 + 41 + 21);
  });
});
