// Starts GraphiQL in the page the gateway serves (explorer.ts). Plain browser JavaScript: React, ReactDOM
// and GraphiQL are globals of the bundles loaded before this file.
(function startExplorer() {
  const root = document.getElementById('explorer');
  const endpoint = root.dataset.endpoint;
  const fetcher = GraphiQL.createFetcher({ url: new URL(endpoint, window.location.href).href });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher,
      // A placeholder credential in the headers would be refused, and the docs with it: the hint is here.
      defaultQuery: [
        '# To call as yourself, write your API key or login token in the Headers tab below:',
        '#   { "Authorization": "Bearer <API key or token>" }',
        '# The Docs button (top left) shows the whole schema. Run with Ctrl-Enter.',
        '',
        '{ __typename }',
        '',
      ].join('\n'),
      defaultEditorToolsVisibility: 'headers',
      // Credentials typed in the Headers tab are not kept in the browser's storage.
      shouldPersistHeaders: false,
    }),
  );
})();
