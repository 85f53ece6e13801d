import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GraphQLError } from 'graphql';
import type { SubgraphDefinition } from '../../subgraphs/kit/build-subgraph.ts';
import type { PubSub } from '../../subgraphs/kit/pubsub.ts';

const MESSAGES = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
type Message @key(fields: "id") {
  id: ID!
  text: String!
}
type Query { ping: String }
type Mutation { postMessage(id: ID!, text: String!): Message! }
type Subscription { messagePosted: Message! }`;

const REACTIONS = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated"])
type Message @key(fields: "id") {
  id: ID!
  "Fails for a message whose id starts with 'broken'."
  likes: Int!
  secretNote: String @authenticated
}`;

export interface SubscriptionSubgraphs {
  /** Owns `Subscription.messagePosted`: events carry a Message's id and text. */
  messages: SubgraphDefinition<unknown>;
  /** Adds `likes` (the id's length) and `secretNote` to Message: every event needs an entity fetch here. */
  reactions: SubgraphDefinition<unknown>;
  /** Publishes on the messages subgraph's pub/sub, once it started. */
  publish(message: { id: string; text: string }): Promise<void>;
  /** The subscriptions to `messagePosted` the messages subgraph holds now. */
  subscribers(): number;
}

function schemaFile(schemaDir: string, name: string, sdl: string): URL {
  const file = join(schemaDir, `${name}-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, sdl);
  return pathToFileURL(file);
}

export function subscriptionSubgraphs(schemaDir: string): SubscriptionSubgraphs {
  let pubsub: PubSub | undefined;
  const messages: SubgraphDefinition<unknown> = {
    name: 'messages',
    schemaUrl: schemaFile(schemaDir, 'messages', MESSAGES),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async (kit) => {
      pubsub = kit.pubsub;
      return {
        resolvers: {
          Query: { ping: () => 'pong' },
          Mutation: {
            postMessage: async (_root: unknown, message: { id: string; text: string }) => {
              await kit.pubsub.publish('messagePosted', message);
              return message;
            },
          },
          Subscription: {
            messagePosted: { subscribe: () => kit.pubsub.subscribe('messagePosted'), resolve: (message: unknown) => message },
          },
        },
      };
    },
  };
  const reactions: SubgraphDefinition<unknown> = {
    name: 'reactions',
    schemaUrl: schemaFile(schemaDir, 'reactions', REACTIONS),
    errorStyle: 'cognitive-cloud',
    migrations: {},
    create: async () => ({
      resolvers: {
        Message: {
          __resolveReference: (reference: { id: string }) => reference,
          likes: ({ id }: { id: string }) => {
            if (id.startsWith('broken')) throw new GraphQLError('no likes for this one', { extensions: { code: 'BAD_USER_INPUT' } });
            return id.length;
          },
          secretNote: ({ id }: { id: string }) => `note on ${id}`,
        },
      },
    }),
  };
  return {
    messages,
    reactions,
    publish: async (message) => {
      if (!pubsub) throw new Error('the messages subgraph has not started');
      await pubsub.publish('messagePosted', message);
    },
    subscribers: () => pubsub?.subscribers('messagePosted') ?? 0,
  };
}
