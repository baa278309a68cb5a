// Test runner loaded INSIDE the VS Code extension host (the payload's extensionTestsPath): the
// workbench calls run() once and exits with 0 when its promise resolves, 1 when it rejects.
// Mocha is not a dependency of the project; this runs registered async tests one after another.
//
// Environment (set on code-server by test/e2e/run.sh; the extension host inherits it):
//   E2E_TRUST    'trusted' (default) or 'untrusted': which workspace-trust mode this run is in.
//                A test declares the modes it belongs to with { trust: 'trusted' | 'untrusted' | 'any' }.
//   E2E_GREP     only tests whose "file: name" contains this text.
//   E2E_RESULTS  where to write the results as JSON (read by the harness; stdout is the fallback).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { inspect } = require('node:util');

const { registered, setCurrentFile } = require('./framework.cjs');

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error) {
  if (error && error.stack) {
    // The message, then the first frames that are in a test file (where the assertion is).
    const lines = String(error.stack).split('\n');
    const frames = lines.filter((l) => /^\s+at /.test(l));
    const ours = frames.filter((l) => l.includes(__dirname)).slice(0, 3);
    const head = lines.filter((l) => !/^\s+at /.test(l)).join('\n');
    return [head, ...ours].join('\n');
  }
  return inspect(error);
}

async function run() {
  const trust = process.env.E2E_TRUST === 'untrusted' ? 'untrusted' : 'trusted';
  const grep = process.env.E2E_GREP || '';
  const files = fs.readdirSync(__dirname).filter((f) => /\.test\.c?js$/.test(f)).sort();
  const results = [];
  for (const file of files) {
    setCurrentFile(file.replace(/^\d+-/, '').replace(/\.test\.c?js$/, ''));
    try {
      require(path.join(__dirname, file));
    } catch (error) {
      results.push({ title: `${file}: load`, status: 'failed', ms: 0, error: describeError(error) });
      console.log(`FAIL ${file} did not load\n${describeError(error).replace(/^/gm, '     ')}`);
    }
  }
  const selected = registered.filter(
    (t) => (t.trust === 'any' || t.trust === trust) && t.locale === (process.env.E2E_LOCALE || 'en') && `${t.file}: ${t.name}`.includes(grep),
  );
  console.log(`[e2e] ${selected.length} tests (workspace ${trust}) in the extension host: node ${process.version}`);

  if (selected.length === 0) {
    results.push({ title: 'select tests', status: 'failed', ms: 0, error: `no test matches trust=${trust} grep=${grep}` });
  }
  for (const t of selected) {
    const title = `${t.file}: ${t.name}`;
    if (t.skip) {
      results.push({ title, status: 'skipped', reason: String(t.skip) });
      console.log(`skip ${title} (${t.skip})`);
      continue;
    }
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(() => t.fn()), t.timeout, 'test');
      const ms = Date.now() - started;
      results.push({ title, status: 'passed', ms });
      console.log(`ok   ${title} (${ms} ms)`);
    } catch (error) {
      const ms = Date.now() - started;
      const message = describeError(error);
      results.push({ title, status: 'failed', ms, error: message });
      console.log(`FAIL ${title} (${ms} ms)\n${message.replace(/^/gm, '     ')}`);
    }
  }

  const count = (s) => results.filter((r) => r.status === s).length;
  const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results };
  if (process.env.E2E_RESULTS) fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(summary, null, 2));
  const skipped = summary.skipped ? `, ${summary.skipped} skipped` : '';
  console.log(`${summary.passed} passed, ${summary.failed} failed${skipped}`);
  if (summary.failed > 0) throw new Error(`${summary.failed} end-to-end test(s) failed`);
}

module.exports = { run };
