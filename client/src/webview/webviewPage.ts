import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  /** The webview's resource origin (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  nonce?: string;
  /** CSP directives beyond the common ones (a worker, fetches of our own files). */
  extraCsp?: readonly string[];
  /** `<meta name content>` pairs the page's script reads. */
  meta?: Readonly<Record<string, string>>;
  /** The root element; default `<div id="root"></div>`. */
  root?: string;
}

/**
 * The page of every webview of the extension: only our bundle runs (script nonce), styles only from
 * our stylesheet, nothing loaded from anywhere else. No pipeline or run text is in here: it arrives
 * later as message data and is inserted as text.
 */
export function webviewPage(page: WebviewPage): string {
  const nonce = page.nonce ?? randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
    ...(page.extraCsp ?? []),
  ].join('; ');
  const meta = Object.entries(page.meta ?? {}).map(([name, content]) => `<meta name="${attr(name)}" content="${attr(content)}">\n`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${meta}<link rel="stylesheet" href="${attr(page.styleUri)}">
<title>${attr(page.title)}</title>
</head>
<body>
${page.root ?? '<div id="root"></div>'}
<script nonce="${attr(nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
