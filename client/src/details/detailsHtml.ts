import { randomBytes } from 'node:crypto';

/**
 * The run details page: only our bundle runs (script nonce), only our stylesheet styles it, and
 * nothing else loads. No run data is in the HTML: it arrives as message data, inserted as text.
 */
export function detailsHtml(resources: { cspSource: string; scriptUri: string; styleUri: string; nonce?: string }): string {
  const nonce = resources.nonce ?? randomBytes(18).toString('base64');
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${resources.cspSource}`, `font-src ${resources.cspSource}`, `img-src ${resources.cspSource} data:`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(resources.styleUri)}">
<title>Run Details</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script nonce="${attr(nonce)}" src="${attr(resources.scriptUri)}"></script>
</body>
</html>`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
