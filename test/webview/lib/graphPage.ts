import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { graphHtml } from '../../../client/src/graph/graphHtml.ts';
import type { HostMessage, WebviewMessage } from '../../../webview/src/protocol.ts';
import { THEMES, type ThemeName } from './themes.ts';
import { CHROMIUM, DIST, PLAYWRIGHT, TOOLS, launchChromium, originOf, serveWebview, type Browser } from './webviewServer.ts';

// Headless Chromium (Debian's) driven by playwright-core from the e2e tools, loading the built
// webview bundle in a page made by the same graphHtml() the extension uses (same CSP), served over
// HTTP so that the worker is fetched and started exactly as in VS Code.

export { ROOT } from './webviewServer.ts';

// Only the parts of playwright-core used here, typed by hand (it is not a dependency of the project).
export interface Page {
  goto(url: string): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number; polling?: number | 'raf' }): Promise<unknown>;
  addInitScript(script: { content: string }): Promise<void>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  on(event: 'pageerror' | 'console' | 'dialog', listener: (value: PageEvent) => void): void;
  click(selector: string, options?: { button?: 'left' | 'right'; clickCount?: number; force?: boolean }): Promise<void>;
  dblclick(selector: string, options?: { force?: boolean }): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  keyboard: { press(key: string): Promise<void> };
  close(): Promise<void>;
}
/** A page error (an Error), a console message or a dialog: each has some of these. */
interface PageEvent {
  message?: string | (() => string);
  text?(): string;
  type?(): string;
  dismiss?(): Promise<void>;
}

export function missingTools(): string | undefined {
  if (!existsSync(join(PLAYWRIGHT, 'package.json'))) return `playwright-core is not installed in ${TOOLS}/pw; run \`scripts/node24.sh npm run test:e2e:setup\``;
  if (!existsSync(CHROMIUM)) return `Chromium is not at ${CHROMIUM}; run \`scripts/node24.sh npm run test:e2e:setup\` (it installs Debian's chromium)`;
  if (!existsSync(join(DIST, 'main.js')) || !existsSync(join(DIST, 'layoutWorker.js'))) return 'dist/webview is not built; run `scripts/node24.sh npm run build`';
  return undefined;
}

export class GraphPage {
  readonly page: Page;
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  private readonly browser: Browser<Page>;
  private readonly server: Server;

  private constructor(browser: Browser<Page>, page: Page, server: Server) {
    this.browser = browser;
    this.page = page;
    this.server = server;
  }

  /** Launches Chromium on the test page; throws (the test fails) when the tools are missing. */
  static async open(theme: ThemeName = 'dark', size = { width: 1100, height: 700 }): Promise<GraphPage> {
    const missing = missingTools();
    if (missing !== undefined) throw new Error(missing);
    const server = await serve();
    const browser = await launchChromium<Page>();
    const page = await browser.newPage();
    const graph = new GraphPage(browser, page, server);
    page.on('pageerror', (error) => graph.errors.push(typeof error.message === 'string' ? error.message : 'page error'));
    page.on('console', (message) => {
      if (message.type?.() === 'error') graph.errors.push(message.text?.() ?? '');
    });
    page.on('dialog', (dialog) => {
      graph.dialogs.push(typeof dialog.message === 'function' ? dialog.message() : 'dialog');
      void dialog.dismiss?.();
    });
    await page.setViewportSize(size);
    await page.addInitScript({ content: recordingApi(THEMES[theme]) });
    await page.goto(`${originOf(server)}/`);
    // Generous: a page's first script run waits for a CPU on a busy machine; only a hang should fail here.
    await page.waitForFunction(() => (window as unknown as TestWindow).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 120_000 });
    return graph;
  }

  async send(message: HostMessage): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async posted(): Promise<WebviewMessage[]> {
    return this.page.evaluate(() => (window as unknown as TestWindow).__posted as unknown as WebviewMessage[], undefined);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => void ((window as unknown as TestWindow).__posted.length = 0), undefined);
  }

  /** Waits until the webview reports a paint of one of `phases`; returns its message. */
  async waitRendered(phases: string[], timeout = 120_000): Promise<Extract<WebviewMessage, { type: 'rendered' }>> {
    await this.page.waitForFunction((p) => (window as unknown as TestWindow).__posted.some((m) => m.type === 'rendered' && p.includes(m.phase ?? '')), phases, { timeout, polling: 20 });
    const all = await this.posted();
    const found = all.find((m) => m.type === 'rendered' && phases.includes(m.phase));
    if (found?.type !== 'rendered') throw new Error('no rendered message');
    return found;
  }

  /** A second page in the same browser, without CSP, that loads the given scripts (name → file). */
  async barePage(scripts: Record<string, string>): Promise<Page> {
    for (const [name, file] of Object.entries(scripts)) libraries.set(name, file);
    const page = await this.browser.newPage();
    await page.goto(`${originOf(this.server)}/bare`);
    return page;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface TestWindow {
  __posted: { type: string; phase?: string }[];
}

/** Extra scripts the benchmark serves at /lib/<name> to its bare page (peers measured beside the graph). */
const libraries = new Map<string, string>();

function serve(): Promise<Server> {
  return serveWebview((path, origin) => {
    if (path === '/') return { type: 'text/html', body: graphHtml({ cspSource: origin, scriptUri: `${origin}/dist/main.js`, styleUri: `${origin}/dist/main.css`, workerUri: `${origin}/dist/layoutWorker.js` }) };
    // No CSP and no bundle: a plain page for timing other layout libraries on the same browser.
    if (path === '/bare') return { type: 'text/html', body: `<!DOCTYPE html><html><body>${[...libraries.keys()].map((name) => `<script src="/lib/${name}"></script>`).join('')}</body></html>` };
    const library = libraries.get(path.replace(/^\/lib\//, ''));
    if (path.startsWith('/lib/') && library !== undefined) return { type: 'text/javascript', body: readFileSync(library) };
    if (path === '/favicon.ico') return { status: 204, body: '' };
    return undefined;
  });
}

/** The stand-in for VS Code: records every message, keeps state, and sets the theme's variables. */
function recordingApi(theme: Record<string, string>): string {
  return `
    window.__posted = [];
    window.__state = undefined;
    window.__alerts = 0;
    window.alert = () => { window.__alerts++; };
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
    document.addEventListener('DOMContentLoaded', () => {
      // Through the CSSOM, as VS Code does: the CSP forbids style attributes.
      for (const [name, value] of Object.entries(${JSON.stringify(theme)})) document.documentElement.style.setProperty(name, value);
    });
  `;
}
