// Placeholder until the graph issue, which renders the pipeline DAG here. It shows a notice so an
// early webview is never blank.
const host = document.getElementById('root') ?? document.body;
host.textContent = 'Pipeline Studio: the graph view is not available yet.';

export {};
