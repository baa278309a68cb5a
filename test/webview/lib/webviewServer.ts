import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

// What every headless-Chromium page of the tests and benchmarks stands on: Debian's Chromium driven
// by playwright-core from the e2e tools, and a local HTTP server that gives the page its HTML and the
// built webview bundles (dist/webview), so that scripts and workers are fetched as in VS Code.

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const TOOLS = process.env.E2E_TOOLS ?? join(ROOT, '.tools', 'e2e');
export const PLAYWRIGHT = join(TOOLS, 'pw', 'node_modules', 'playwright-core');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const DIST = join(ROOT, 'dist', 'webview');

/** Only what is used of playwright-core's Browser, typed by hand (it is not a dependency of the project). */
export interface Browser<P> {
  newPage(): Promise<P>;
  close(): Promise<void>;
}

/** Headless Chromium with software rendering; the launch timeout is a hang guard for a loaded machine. */
export function launchChromium<P>(): Promise<Browser<P>> {
  const { chromium } = createRequire(import.meta.url)(PLAYWRIGHT) as { chromium: { launch(options: object): Promise<Browser<P>> } };
  return chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page's own answer to a path (its HTML, a script); `undefined` leaves the path to the bundles. */
export type Route = (path: string, origin: string) => { body: string | Buffer; type?: string; status?: number } | undefined;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.ttf': 'font/ttf' };

/**
 * Listens on a free port of 127.0.0.1: `route` answers first; then /dist/<file> is served from
 * dist/webview (never from outside it); anything else is a 404.
 */
export function serveWebview(route: Route): Promise<Server> {
  const server = createServer((request, response) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = new URL(request.url ?? '/', origin);
    const answer = route(url.pathname, origin);
    if (answer !== undefined) {
      response.writeHead(answer.status ?? 200, answer.type === undefined ? {} : { 'content-type': answer.type });
      response.end(answer.body);
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

/** The server's origin, as the page sees it (and as a CSP names it). */
export function originOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
