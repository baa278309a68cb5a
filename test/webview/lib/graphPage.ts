import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { graphHtml } from '../../../client/src/graph/graphHtml.ts';
import type { HostMessage, WebviewMessage } from '../../../webview/src/protocol.ts';
import { THEMES, type ThemeName } from './themes.ts';

// Headless Chromium (Debian's) driven by playwright-core from the e2e tools, loading the built
// webview bundle in a page made by the same graphHtml() the extension uses (same CSP), served over
// HTTP so that the worker is fetched and started exactly as in VS Code.

export const ROOT = join(import.meta.dirname, '..', '..', '..');
const TOOLS = process.env.E2E_TOOLS ?? join(ROOT, '.tools', 'e2e');
const PLAYWRIGHT = join(TOOLS, 'pw', 'node_modules', 'playwright-core');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const DIST = join(ROOT, 'dist', 'webview');

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
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
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
  private readonly browser: Browser;
  private readonly server: Server;

  private constructor(browser: Browser, page: Page, server: Server) {
    this.browser = browser;
    this.page = page;
    this.server = server;
  }

  /** Launches Chromium on the test page; throws (the test fails) when the tools are missing. */
  static async open(theme: ThemeName = 'dark', size = { width: 1100, height: 700 }): Promise<GraphPage> {
    const missing = missingTools();
    if (missing !== undefined) throw new Error(missing);
    const server = await serve();
    const { chromium } = createRequire(import.meta.url)(PLAYWRIGHT) as { chromium: { launch(options: object): Promise<Browser> } };
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
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
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/`);
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
    const port = (this.server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/bare`);
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

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const port = (server.address() as AddressInfo).port;
    const origin = `http://127.0.0.1:${port}`;
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(graphHtml({ cspSource: origin, scriptUri: `${origin}/dist/main.js`, styleUri: `${origin}/dist/main.css`, workerUri: `${origin}/dist/layoutWorker.js` }));
      return;
    }
    const library = libraries.get(url.pathname.replace(/^\/lib\//, ''));
    if (url.pathname === '/bare') {
      // No CSP and no bundle: a plain page for timing other layout libraries on the same browser.
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!DOCTYPE html><html><body>${[...libraries.keys()].map((name) => `<script src="/lib/${name}"></script>`).join('')}</body></html>`);
      return;
    }
    if (url.pathname.startsWith('/lib/') && library !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(readFileSync(library));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    const file = normalize(join(DIST, url.pathname.replace(/^\/dist\//, '')));
    if (!url.pathname.startsWith('/dist/') || !file.startsWith(DIST) || !existsSync(file)) {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
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
