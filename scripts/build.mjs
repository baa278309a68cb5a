// Bundles each runtime with esbuild: node scripts/build.mjs [--watch] [--production --outdir DIR]
// The development build (dist/) is readable, with linked source maps for debugging and tests.
// --production (used by scripts/package.ts) minifies into DIR (dist/x.cjs -> DIR/x.cjs) and writes the maps beside the
// bundles without a sourceMappingURL comment, so the packager can keep them out of the .vsix.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outdirFlag = process.argv.indexOf('--outdir');
const outRoot = outdirFlag > 0 ? process.argv[outdirFlag + 1] : undefined;
if (production && outRoot === undefined) {
  console.error('build: --production needs --outdir DIR (dist/ stays the development build)');
  process.exit(1);
}

// Native add-ons cannot be bundled; they are loaded from node_modules at run time.
const nativeExternals = ['better-sqlite3'];

// Sources are ES modules (tests run them as such); in the CommonJS bundles import.meta.url is
// rebuilt from __filename so code that resolves files next to itself keeps working.
const importMetaShim = "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;";

/** @type {import('esbuild').BuildOptions} */
const nodeDefaults = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: 'linked',
  external: nativeExternals,
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaShim },
};

/** @type {(import('esbuild').BuildOptions & { entryPoints: [string], outfile: string })[]} */
const bundles = [
  {
    ...nodeDefaults,
    entryPoints: ['core/src/cli/main.ts'],
    outfile: 'dist/cli.cjs',
    banner: { js: `#!/usr/bin/env node\n${importMetaShim}` },
    plugins: [makeExecutable('dist/cli.cjs')],
  },
  {
    ...nodeDefaults,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.cjs',
    // Provided by the VS Code extension host, never installed.
    external: [...nativeExternals, 'vscode'],
  },
  { ...nodeDefaults, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.cjs' },
  // The headless scheduler loads pipeline files in a child process (core/src/triggers/loadApart.ts).
  { ...nodeDefaults, entryPoints: ['core/src/triggers/loadWorker.ts'], outfile: 'dist/triggerLoader.cjs' },
  // The pipeline debug adapter as a standalone DAP process (the extension runs the same session inline).
  { ...nodeDefaults, entryPoints: ['client/src/debug/standalone.ts'], outfile: 'dist/debugAdapter.cjs' },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    entryPoints: ['webview/src/main.ts'],
    outfile: 'dist/webview/main.js',
  },
  // The executions dashboard (Show Executions): its own bundle and stylesheet (dashboard.js, dashboard.css).
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    entryPoints: ['webview/src/dashboard/main.ts'],
    outfile: 'dist/webview/dashboard.js',
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    entryPoints: ['webview/src/layoutWorker.ts'],
    outfile: 'dist/webview/layoutWorker.js',
  },
  // The run details and compare pages (client/src/details), a second webview bundle (+ details.css).
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    entryPoints: ['webview/src/details/main.ts'],
    outfile: 'dist/webview/details.js',
  },
];

/** @param {string} outfile @returns {import('esbuild').Plugin} */
function makeExecutable(outfile) {
  return {
    name: 'make-executable',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length === 0) chmodSync(join(root, outfile), 0o755);
      });
    },
  };
}

const missing = bundles.map((b) => b.entryPoints[0]).filter((entry) => !existsSync(join(root, entry)));
if (missing.length > 0) {
  console.error(`build: missing entry point(s): ${missing.join(', ')}`);
  process.exit(1);
}

// keepNames: error and class names (err.name, constructor.name) read the same as in development.
/** @type {import('esbuild').BuildOptions} */
const productionOptions = { minify: true, keepNames: true, sourcemap: 'external', logLevel: 'warning' };
const options = bundles.map((b) => ({
  ...b,
  absWorkingDir: root,
  logLevel: 'info',
  ...(production ? { ...productionOptions, outfile: join(outRoot ?? '', relative('dist', b.outfile)), plugins: [] } : {}),
}));
// The native launch helper (native/launch.c): where a C compiler is, blocks start through posix_spawn
// instead of a Node process forking; without one (or on Windows) the Node helper does, so a failed
// compile is a note, never a failed build.
function buildNativeLauncher() {
  if (process.platform === 'win32') return;
  const out = join(outRoot ?? join(root, 'dist'), 'native', 'ps-launch');
  mkdirSync(dirname(out), { recursive: true });
  const cc = process.env.CC || 'cc';
  const r = spawnSync(cc, ['-O2', '-Wall', '-o', out, join(root, 'native', 'launch.c')], { encoding: 'utf8' });
  if (r.status !== 0) console.error(`build: the native launch helper was not built (${r.error?.message ?? r.stderr.trim()}); blocks start through the Node helper`);
}

try {
  buildNativeLauncher();
  if (watch) {
    for (const o of options) await (await esbuild.context(o)).watch();
    console.error('build: watching for changes (Ctrl+C to stop)');
  } else {
    await Promise.all(options.map((o) => esbuild.build(o)));
  }
} catch {
  // esbuild has already printed the errors with their locations.
  process.exit(1);
}
