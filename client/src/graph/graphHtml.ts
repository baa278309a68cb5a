import { webviewPage } from '../webview/webviewPage.ts';

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
  return webviewPage({
    ...resources,
    title: 'Pipeline Graph',
    extraCsp: [`connect-src ${resources.cspSource}`, 'worker-src blob:'],
    meta: { 'layout-worker': resources.workerUri },
  });
}
