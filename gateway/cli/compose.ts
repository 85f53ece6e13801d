/**
 * `npm run compose [-- <output file>]`: composes the subgraphs of supergraph.yaml and writes the
 * supergraph SDL (default ./supergraph.graphql). Exit code 1, with every error listed, when they do not
 * compose.
 */
import { writeFileSync } from 'node:fs';
import { composeFromConfig, CompositionError } from '../supergraph/composition.ts';
import { fail, readConfig, sdlFetcher } from './cli-support.ts';

const output = process.argv[2] ?? 'supergraph.graphql';
try {
  const { supergraphSdl, hints } = await composeFromConfig(readConfig(), sdlFetcher());
  writeFileSync(output, supergraphSdl);
  for (const hint of hints) console.log(`hint: ${hint}`);
  console.log(`wrote ${output}`);
  process.exit(0);
} catch (error) {
  fail(error instanceof CompositionError ? ['composition failed:', ...error.errors.map((e) => `  - ${e}`)] : [String(error)]);
}
