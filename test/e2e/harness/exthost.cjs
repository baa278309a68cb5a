// Runs test/e2e/suite INSIDE code-server's extension host with the real `vscode` API, the way
// @vscode/test-electron does in desktop VS Code. code-server takes no --extensionTestsPath; the
// workbench reads extensionDevelopmentPath/extensionTestsPath from the URL's `payload` when the server
// runs with `--vscode-option enable-smoke-test-driver`, and reports the suite's exit code through
// window.codeAutomationExit (console output through window.codeAutomationLog).
// Environment: E2E_TOOLS, E2E_BASE (server URL), E2E_WORKSPACE, E2E_DEV_PATH, E2E_TESTS_PATH,
// E2E_LOG (workbench log file), E2E_TIMEOUT_MS, E2E_RESULTS with E2E_NO_DRIVER=1 (a server without the driver). Exit: 0 passed, 1 failed, 2 harness error or timeout.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { format } = require('node:util');
const { need, launch, remoteAuthority } = require('./common.cjs');

// Lines of the workbench's own chatter that say nothing about our tests (all kept in the log file).
const noise =
  /AgentHost|ChatModelSelection|Canceled: Canceled|open-vsx|socket|connection token|grace time|builtin extensions cache|Service Worker|AccountPolicyGate|ENOTFOUND|telemetry|marketplace|gallery/i;

(async () => {
  const base = need('E2E_BASE');
  const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 180000);
  const logFile = need('E2E_LOG');
  const authority = await remoteAuthority(base);
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(need('E2E_DEV_PATH'))],
    ['extensionTestsPath', remote(need('E2E_TESTS_PATH'))],
  ];
  const url =
    `${base}/?folder=${encodeURIComponent(path.resolve(need('E2E_WORKSPACE')))}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const started = Date.now();
  const browser = await launch();
  let settle;
  const exited = new Promise((resolve) => (settle = resolve));
  // Both must exist before the workbench loads: it looks for them once, at start.
  await browser.page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    fs.appendFileSync(logFile, `[${type}] ${line}\n`);
    if (process.env.E2E_VERBOSE || !noise.test(line)) console.log(`  ${line.slice(0, 2000)}`);
  });
  await browser.page.exposeFunction('codeAutomationExit', (code) => settle(code));
  browser.page.on('pageerror', (e) => fs.appendFileSync(logFile, `[pageerror] ${e.message}\n`));
  await browser.page.goto(url);
  let timer;
  // Without the smoke-test driver (code-server releases before --vscode-option, the oldest workbench)
  // nothing calls codeAutomationExit: the suite's results file, written last, ends the run instead.
  const resultsFile = process.env.E2E_RESULTS;
  let poller;
  const written = new Promise((resolve) => {
    if (resultsFile === undefined || resultsFile === '') return;
    poller = setInterval(() => {
      try {
        const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
        for (const r of results.results) if (r.status === 'failed') console.log(`  FAIL ${r.title}\n${String(r.error).replace(/^/gm, '     ')}`);
        console.log(`  ${results.passed} passed, ${results.failed} failed`);
        resolve(results.failed > 0 ? 1 : 0);
      } catch {
        // not written yet (or half written): asked again
      }
    }, 500);
  });
  const code = await Promise.race([
    exited,
    process.env.E2E_NO_DRIVER === '1' ? written : new Promise(() => {}),
    new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  clearInterval(poller);
  console.log(`[e2e exthost] extension host exit code ${code} after ${Date.now() - started} ms`);
  await browser.close();
  process.exit(code === 'timeout' ? 2 : Number(code));
})().catch((error) => {
  console.error('[e2e exthost] harness error:', error);
  process.exit(2);
});
