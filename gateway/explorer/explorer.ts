/**
 * GraphiQL, served by the gateway from its own files: the `graphiql` package's built bundle and React's,
 * read from node_modules once at start. Nothing is loaded from a CDN and nothing phones home, so the
 * explorer works on a machine without internet. `GET /graphql` from a browser (Accept: text/html) shows it,
 * as Apollo Server shows its landing page; `/` points there. Off in production (INTROSPECTION=false).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';

const ASSET_PREFIX = '/explorer/';
const require = createRequire(import.meta.url);
/** A file of an installed package, found through its package.json (React's "exports" hide its UMD builds). */
const packageFile = (name: string, path: string) => join(dirname(require.resolve(`${name}/package.json`)), path);

/** Each asset the page loads: its URL name, the file it is read from, and its content type. */
const ASSETS = {
  'react.js': { file: packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: packageFile('graphiql', 'dist/index.umd.js'), type: 'text/javascript' },
  'graphiql.css': { file: packageFile('graphiql', 'dist/style.css'), type: 'text/css' },
  'start.js': { file: new URL('./start-explorer.js', import.meta.url).pathname, type: 'text/javascript' },
} as const;

// Only our own files run; GraphiQL sets inline styles, and its fonts are data: URLs.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL explorer</title>
<link rel="stylesheet" href="${ASSET_PREFIX}graphiql.css">
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="explorer" data-endpoint="${endpoint}">Loading the explorer…</div>
<script src="${ASSET_PREFIX}react.js"></script>
<script src="${ASSET_PREFIX}react-dom.js"></script>
<script src="${ASSET_PREFIX}graphiql.js"></script>
<script src="${ASSET_PREFIX}start.js"></script>
</body>
</html>`;
}

export interface Explorer {
  /** Apollo Server's landing page hook: the explorer's page on a browser's GET of the endpoint. */
  plugin: ApolloServerPlugin;
  /** The explorer's assets under /explorer/, and `/` redirecting to the endpoint. */
  registerRoutes(app: FastifyInstance): void;
}

export function createExplorer({ endpoint = '/graphql' } = {}): Explorer {
  const assets = new Map(Object.entries(ASSETS).map(([name, { file, type }]) => [name, { body: readFileSync(file), type }]));
  const html = page(endpoint);
  return {
    plugin: {
      async serverWillStart() {
        return {
          async renderLandingPage() {
            return { html };
          },
        };
      },
    },
    registerRoutes(app) {
      app.addHook('onSend', async (request, reply) => {
        if (
          request.method === 'GET' &&
          request.url.split('?')[0] === endpoint &&
          String(reply.getHeader('content-type')).startsWith('text/html')
        ) {
          reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        }
      });
      app.get<{ Params: { name: string } }>(`${ASSET_PREFIX}:name`, async (request, reply) => {
        const asset = assets.get(request.params.name);
        if (!asset) return reply.code(404).send({ errors: [{ message: 'No such explorer file', extensions: { code: 'NOT_FOUND' } }] });
        return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
      });
      app.get('/', async (_request, reply) => reply.redirect(endpoint));
    },
  };
}
