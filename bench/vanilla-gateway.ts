/**
 * The baseline: @apollo/gateway inside Apollo Server's standalone server, every setting at its default.
 * `node --import tsx bench/vanilla-gateway.ts <port> <supergraph file>`.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const [port = '0', supergraphPath = ''] = process.argv.slice(2);
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(supergraphPath, 'utf8') }) });
await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(port) } });
process.send?.({ ready: true });
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
