/** What a supergraph says of its subgraphs' routing: each `@join__graph(name:, url:)`. */
import { Kind, type DocumentNode } from 'graphql';

/** Each subgraph's name and routing URL, in the order the supergraph lists them. */
export function readRoutingUrls(supergraph: DocumentNode): Map<string, string> {
  const urls = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const argument = (argumentName: string) => {
        const node = graph?.arguments?.find((candidate) => candidate.name.value === argumentName)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      const [name, url] = [argument('name'), argument('url')];
      if (name && url) urls.set(name, url);
    }
  }
  return urls;
}
