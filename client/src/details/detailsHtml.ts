import { webviewPage } from '../webview/webviewPage.ts';

/**
 * The run details page: only our bundle runs (script nonce), only our stylesheet styles it, and
 * nothing else loads. No run data is in the HTML: it arrives as message data, inserted as text.
 */
export function detailsHtml(resources: { cspSource: string; scriptUri: string; styleUri: string; nonce?: string }): string {
  return webviewPage({ ...resources, title: 'Run Details', root: '<main id="root" aria-live="polite"></main>' });
}
