// Runs test/e2e/suite INSIDE code-server's extension host with the real `vscode` API, the way
// @vscode/test-electron does in desktop VS Code. code-server takes no --extensionTestsPath; the
// workbench reads extensionDevelopmentPath/extensionTestsPath from the URL's `payload` when the server
// runs with `--vscode-option enable-smoke-test-driver`, and reports the suite's exit code through
// window.codeAutomationExit (console output through window.codeAutomationLog).
// Environment: E2E_TOOLS, E2E_BASE (server URL), E2E_WORKSPACE, E2E_DEV_PATH, E2E_TESTS_PATH,
// E2E_LOG (workbench log file), E2E_TIMEOUT_MS. Exit: 0 passed, 1 failed, 2 harness error or timeout.
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
  const code = await Promise.race([
    exited,
    new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  console.log(`[e2e exthost] extension host exit code ${code} after ${Date.now() - started} ms`);
  await browser.close();
  process.exit(code === 'timeout' ? 2 : Number(code));
})().catch((error) => {
  console.error('[e2e exthost] harness error:', error);
  process.exit(2);
});
