/**
 * The import boundaries of the tree (`npm run lint`, part of `npm test`): the gateway and the subgraphs
 * never import each other, both may import core/, and core/ imports neither; a subgraph imports only
 * itself and the kit, since each is deployed alone. bench/, scripts/ and test/ may import anything.
 */
module.exports = {
  forbidden: [
    {
      name: 'gateway-not-subgraphs',
      comment: 'The gateway serves any supergraph: what it shares with the subgraphs lives in core/.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'subgraphs-not-gateway',
      comment: 'A subgraph is deployed without the gateway: what it shares with it lives in core/.',
      severity: 'error',
      from: { path: '^subgraphs/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'core-stands-alone',
      comment: 'core/ is what both sides import; it imports neither.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(gateway|subgraphs)/' },
    },
    {
      name: 'subgraph-not-another-subgraph',
      comment: 'Each subgraph is its own service: it talks to another over HTTP, never by importing it.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/', pathNot: '^subgraphs/kit/' },
      to: { path: '^subgraphs/', pathNot: ['^subgraphs/$1/', '^subgraphs/kit/'] },
    },
    {
      name: 'kit-not-a-subgraph',
      comment: 'The kit serves every subgraph and knows none of them.',
      severity: 'error',
      from: { path: '^subgraphs/kit/' },
      to: { path: '^subgraphs/', pathNot: '^subgraphs/kit/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
