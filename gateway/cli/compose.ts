/**
 * `npm run compose [-- <output file>]`: composes the subgraphs of supergraph.yaml and writes the
 * supergraph SDL (default ./supergraph.graphql). Exit code 1, with every error listed, when they do not
 * compose.
 */
import { writeFileSync } from 'node:fs';
import { parseCommandLine } from '../../core/cli.ts';
import { composeFromConfig, CompositionError } from '../supergraph/composition.ts';
import { fail, readConfig, sdlFetcher } from './cli-support.ts';

const USAGE = `usage: npm run compose [-- <output file>]

Composes the subgraphs of supergraph.yaml (or SUPERGRAPH_CONFIG) into a supergraph SDL and writes it to
<output file>, by default ./supergraph.graphql. Exit code 1, with every composition error, when they do
not compose.`;

const [output = 'supergraph.graphql', ...extra] = parseCommandLine(USAGE).positional;
if (extra.length > 0) fail([`one output file at most, got ${[output, ...extra].join(' ')}`, '', USAGE]);
try {
  const { supergraphSdl, hints } = await composeFromConfig(readConfig(), sdlFetcher());
  writeFileSync(output, supergraphSdl);
  for (const hint of hints) console.log(`hint: ${hint}`);
  console.log(`wrote ${output}`);
  process.exit(0);
} catch (error) {
  fail(error instanceof CompositionError ? ['composition failed:', ...error.errors.map((e) => `  - ${e}`)] : [String(error)]);
}
