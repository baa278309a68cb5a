import { webviewPage } from '../webview/webviewPage.ts';

/**
 * The dashboard's page (see webviewPage.ts): run data arrives as messages and is inserted as text.
 */
export function dashboardHtml(resources: { cspSource: string; scriptUri: string; styleUri: string; nonce?: string }): string {
  return webviewPage({ ...resources, title: 'Executions' });
}
