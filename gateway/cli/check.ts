/**
 * `npm run check -- <subgraph> <schema file>`: a schema check for subgraph teams, offline. Composes the
 * changed subgraph with the others of supergraph.yaml and compares the resulting client-facing API with
 * today's. Exit code 1 when it does not compose, or when it breaks what clients may already use
 * (graphql-js findBreakingChanges: removed fields, changed types, new required arguments, ...).
 */
import { readFileSync } from 'node:fs';
import { findBreakingChanges, findDangerousChanges } from 'graphql';
import { parseCommandLine } from '../../core/cli.ts';
import { composeSupergraph, CompositionError, loadSubgraphSdls } from '../supergraph/composition.ts';
import { configPath, fail, readConfig, sdlFetcher } from './cli-support.ts';

const USAGE = `usage: npm run check -- <subgraph> <schema file> [--new]

Composes <schema file> as <subgraph> with the other subgraphs of supergraph.yaml (or SUPERGRAPH_CONFIG)
and compares the client-facing API with today's. Exit code 1 when it does not compose or breaks what
clients may already use. <subgraph> must be in the config; --new checks a subgraph that is not there yet.`;

const { positional, flags } = parseCommandLine(USAGE, { knownFlags: ['--new'] });
const [subgraph, schemaFile, ...extra] = positional;
const isNew = flags.has('--new');
if (!subgraph || !schemaFile || extra.length > 0) fail([USAGE]);

let current;
try {
  current = await loadSubgraphSdls(readConfig(), sdlFetcher());
} catch (error) {
  fail(
    error instanceof CompositionError ? ['cannot load the current subgraphs:', ...error.errors.map((e) => `  - ${e}`)] : [String(error)],
  );
}
const known = current.map((s) => s.name);
if (known.includes(subgraph) === isNew) {
  fail([
    isNew
      ? `${subgraph} is already in ${configPath}; leave out --new to check a change to it`
      : `${subgraph} is not a subgraph of ${configPath} (it has: ${known.join(', ')}); add --new to check a new one`,
  ]);
}
const before = composeSupergraph(current);
if (!before.ok) fail(['the current subgraphs do not compose; fix that first:', ...before.errors.map((e) => `  - ${e}`)]);

const changed = {
  name: subgraph,
  url: current.find((s) => s.name === subgraph)?.url ?? `http://${subgraph}.invalid/graphql`,
  sdl: readFileSync(schemaFile, 'utf8'),
};
const after = composeSupergraph([...current.filter((s) => s.name !== subgraph), changed]);
if (!after.ok) fail([`${subgraph}: ${schemaFile} does not compose with the other subgraphs:`, ...after.errors.map((e) => `  - ${e}`)]);

const breaking = findBreakingChanges(before.apiSchema, after.apiSchema);
for (const change of findDangerousChanges(before.apiSchema, after.apiSchema))
  console.log(`warning (${change.type}): ${change.description}`);
if (breaking.length > 0)
  fail([`${subgraph}: ${schemaFile} composes but breaks the API clients use:`, ...breaking.map((c) => `  - ${c.type}: ${c.description}`)]);
console.log(`${subgraph}: ${schemaFile} composes with the other subgraphs and breaks nothing.`);
process.exit(0);
