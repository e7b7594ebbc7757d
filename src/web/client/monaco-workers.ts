/**
 * Monaco runs its language services in web workers. The build emits each as its own
 * script under /assets/ and the page names them on the root element, so nothing is
 * fetched from anywhere but the gateway. Imported first: Monaco reads this when it starts.
 */
const root = document.getElementById('graphiql');

const workers = {
  editor: root?.dataset.editorWorker,
  json: root?.dataset.jsonWorker,
  graphql: root?.dataset.graphqlWorker,
};

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    const url = label === 'json' || label === 'graphql' ? workers[label] : workers.editor;
    if (!url) throw new Error(`No worker for ${label}: the page is missing its data-*-worker`);
    return new Worker(url, { name: label });
  },
};
