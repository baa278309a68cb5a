import { randomBytes } from 'node:crypto';

/**
 * The dashboard's page, as graphHtml.ts builds the graph's: only our bundle runs (script nonce),
 * styles only from our stylesheet, nothing loaded from elsewhere. Run data arrives as messages and
 * is inserted as text.
 */
export function dashboardHtml(resources: { cspSource: string; scriptUri: string; styleUri: string; nonce?: string }): string {
  const nonce = resources.nonce ?? randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
    `img-src ${resources.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(resources.styleUri)}">
<title>Executions</title>
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
