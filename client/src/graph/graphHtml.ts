import { randomBytes } from 'node:crypto';

export interface GraphHtmlResources {
  /** The webview's resource origin (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  workerUri: string;
  nonce?: string;
}

/**
 * The panel's page. Only our bundle runs (script nonce), styles come from our stylesheet (the
 * elements' constructed stylesheets need no inline style), the worker starts from a blob: URL made
 * from our own script, and nothing is loaded from anywhere else. No pipeline text is in here: it
 * arrives later as message data and is inserted as text.
 */
export function graphHtml(resources: GraphHtmlResources): string {
  const nonce = resources.nonce ?? randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
    `img-src ${resources.cspSource} data:`,
    `connect-src ${resources.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="layout-worker" content="${attr(resources.workerUri)}">
<link rel="stylesheet" href="${attr(resources.styleUri)}">
<title>Pipeline Graph</title>
</head>
<body>
<div id="root"></div>
<script nonce="${attr(nonce)}" src="${attr(resources.scriptUri)}"></script>
</body>
</html>`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
