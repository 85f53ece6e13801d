/**
 * `npm run check -- <subgraph> <schema file>`: a schema check for subgraph teams, offline. Composes the
 * changed subgraph with the others of supergraph.yaml and compares the resulting client-facing API with
 * today's. Exit code 1 when it does not compose, or when it breaks what clients may already use
 * (graphql-js findBreakingChanges: removed fields, changed types, new required arguments, ...).
 */
import { readFileSync } from 'node:fs';
import { findBreakingChanges, findDangerousChanges } from 'graphql';
import { composeSupergraph, CompositionError, loadSubgraphSdls } from '../supergraph/composition.ts';
import { fail, readConfig, sdlFetcher } from './cli-support.ts';

const [subgraph, schemaFile] = process.argv.slice(2);
if (!subgraph || !schemaFile) fail(['usage: npm run check -- <subgraph> <schema file>']);

let current;
try {
  current = await loadSubgraphSdls(readConfig(), sdlFetcher());
} catch (error) {
  fail(error instanceof CompositionError ? ['cannot load the current subgraphs:', ...error.errors.map((e) => `  - ${e}`)] : [String(error)]);
}
const before = composeSupergraph(current);
if (!before.ok) fail(['the current subgraphs do not compose; fix that first:', ...before.errors.map((e) => `  - ${e}`)]);

const changed = { name: subgraph, url: current.find((s) => s.name === subgraph)?.url ?? `http://${subgraph}.invalid/graphql`, sdl: readFileSync(schemaFile, 'utf8') };
const after = composeSupergraph([...current.filter((s) => s.name !== subgraph), changed]);
if (!after.ok) fail([`${subgraph}: ${schemaFile} does not compose with the other subgraphs:`, ...after.errors.map((e) => `  - ${e}`)]);

const breaking = findBreakingChanges(before.apiSchema, after.apiSchema);
for (const change of findDangerousChanges(before.apiSchema, after.apiSchema)) console.log(`warning (${change.type}): ${change.description}`);
if (breaking.length > 0) fail([`${subgraph}: ${schemaFile} composes but breaks the API clients use:`, ...breaking.map((c) => `  - ${c.type}: ${c.description}`)]);
console.log(`${subgraph}: ${schemaFile} composes with the other subgraphs and breaks nothing.`);
process.exit(0);
