// Shared by the Playwright harnesses: the driver from $E2E_TOOLS, Debian's Chromium with a throwaway
// profile, and the remote authority code-server puts into its page.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (run this through test/e2e/run.sh)`);
  return value;
}

const { chromium } = require(path.join(need('E2E_TOOLS'), 'pw', 'node_modules', 'playwright-core'));

/** Launches Chromium on a fresh profile; returns { context, page, close }. */
async function launch({ viewport = { width: 1400, height: 900 } } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    timeout: 60000,
    // Offline machine, often in a container: no sandbox, no GPU, no background network, small /dev/shm.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  // Loading the workbench took more than Playwright's default 30 s beside two CPU burners: waits with
  // no timeout of their own get the suite's budget instead (a hang still ends with the suite timeout).
  context.setDefaultNavigationTimeout(180_000);
  context.setDefaultTimeout(120_000);
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** The remote authority of the workbench (code-server 4.139 says "remote"), read from its page. */
async function remoteAuthority(base) {
  const html = await (await fetch(`${base}/`)).text();
  const m = html.match(/data-settings="([^"]*)"/);
  if (!m) throw new Error('no data-settings in the workbench page');
  const settings = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
  if (!settings.remoteAuthority) throw new Error('no remoteAuthority in the workbench settings');
  return settings.remoteAuthority;
}

/** Writes { passed, failed, skipped, results } to file and prints the summary line. */
function writeResults(file, results) {
  const count = (s) => results.filter((r) => r.status === s).length;
  const summary = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results };
  fs.writeFileSync(file, JSON.stringify(summary, null, 2));
  return summary;
}

module.exports = { need, launch, remoteAuthority, writeResults };
