import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GraphQLError } from 'graphql';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';

const SCHEMA = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@composeDirective"])
  @link(url: "https://specs.example/security/v0.1", import: ["@loginAttempt"])
  @composeDirective(name: "@loginAttempt")
directive @loginAttempt on FIELD_DEFINITION
type Query {
  hello(name: String!): String!
  "Always answers an error."
  broken: String
  "Answers once the test releases it (see \`hold\`)."
  held: String
}
"Named like the login operations of both seeds, and declared so, so that the login rate limit counts them."
type Mutation {
  send_email_otp(email: String!): Boolean! @loginAttempt
  login_with_email_otp(otp: Float!, email: String!): String @loginAttempt
  login(username: String!, password: String!): String @loginAttempt
}`;

export interface GreetingsSubgraph {
  definition: SubgraphDefinition<unknown>;
  /** How many times its resolvers were called: what reached the subgraph. */
  calls: { count: number };
  /** Makes the next `held` calls wait: `arrived` resolves when one is waiting, `release()` lets them answer. */
  hold(): { arrived: Promise<void>; release(): void };
}

/** A subgraph `greetings` whose fields carry no access directive, so that anyone may call them. */
export function greetingsSubgraph(schemaDir: string): GreetingsSubgraph {
  const schemaFile = join(schemaDir, `greetings-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(schemaFile, SCHEMA);
  const calls = { count: 0 };
  const called = <T>(value: T) => {
    calls.count++;
    return value;
  };
  let gate = { arrive: () => {}, opened: Promise.resolve() };
  const definition: SubgraphDefinition<unknown> = {
    name: 'greetings',
    schemaUrl: pathToFileURL(schemaFile),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Query: {
          hello: (_root: unknown, { name }: { name: string }) => called(`Hello, ${name}`),
          broken: () => {
            called(null);
            throw new GraphQLError('broken on purpose', { extensions: { code: 'BAD_USER_INPUT' } });
          },
          held: async () => {
            called(null);
            gate.arrive();
            await gate.opened;
            return 'released';
          },
        },
        Mutation: {
          send_email_otp: () => called(true),
          login_with_email_otp: () => called(null),
          login: () => called(null),
        },
      },
    }),
  };
  return {
    definition,
    calls,
    hold() {
      let release!: () => void;
      let arrive!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      gate = { arrive, opened: new Promise<void>((resolve) => (release = resolve)) };
      return { arrived, release };
    },
  };
}
