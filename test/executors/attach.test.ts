import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, tempDir } from '../runner/support.ts';

// `attach RUN` from another process than the run's, both real CLI processes and one real store.

function start(args: string[], cwd: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => void (text += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => void (text += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exited };
}

/** Waits (up to 60 s, a hang guard) until `check` holds. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function storedLog(dir: string, block: string): string {
  const path = join(dir, '.pipelines', 'runs.sqlite');
  if (!existsSync(path)) return '';
  let store;
  try {
    // The CLI may have created the file and not yet its tables (a loaded machine): nothing to read yet.
    store = openStore(path, { readonly: true });
  } catch {
    return '';
  }
  try {
    const row = store.blockRuns(1).find((b) => b.block === block);
    return row === undefined ? '' : store.readLogs(row.id).map((c) => c.text).join('');
  } catch {
    return '';
  } finally {
    store.close();
  }
}

test('attach to a run of another CLI: its output so far, then live, then the summary; exit 0 when it completed', async () => {
  const dir = tempDir('ps-attach-');
  // `a` waits for a file the test writes once attach has replayed "one": "two" can only arrive live.
  writeFileSync(join(dir, 'p.pipeline.yaml'), `blocks:
  a:
    run: echo one; while [ ! -f go ]; do sleep 0.1; done; echo two
  b:
    depends_on: [a]
    run: echo "b done"
`);
  const run = start(['run', 'p.pipeline.yaml'], dir);
  let attach;
  try {
    await until('a to print one', () => storedLog(dir, 'a').includes('one'));
    attach = start(['attach', '1'], dir);
    const started = attach;
    await until('attach to replay one', () => started.output().includes('a | one'));
    assert.doesNotMatch(attach.output(), /two/);
  } finally {
    // Whatever failed above, the block ends and the run with it: no process is left behind.
    writeFileSync(join(dir, 'go'), '');
  }
  assert.equal(await attach.exited, 0, attach.output());
  assert.equal(await run.exited, 0, run.output());
  const out = attach.output();
  assert.match(out, /^Attached to run #1 of p \(running\)/m);
  assert.ok(out.indexOf('a | one') < out.indexOf('a | two') && out.indexOf('a | two') < out.indexOf('b | b done'), out);
  assert.match(out, /^b +\| ✓ completed$/m);
  assert.match(out, /Run #1 completed\./);
});

test('Ctrl+C detaches: attach exits 0 saying so, and the run goes on to complete', async () => {
  const dir = tempDir('ps-attach-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo begin; while [ ! -f go ]; do sleep 0.1; done; echo end\n');
  const run = start(['run', 'p.pipeline.yaml'], dir);
  try {
    await until('a to begin', () => storedLog(dir, 'a').includes('begin'));
    const attach = start(['attach', 'latest'], dir);
    await until('attach to replay begin', () => attach.output().includes('a | begin'));
    attach.child.kill('SIGINT');
    assert.equal(await attach.exited, 0, attach.output());
    assert.match(attach.output(), /Detached from run #1; it goes on/);
  } finally {
    // Whatever failed above, the block ends and the run with it: no process is left behind.
    writeFileSync(join(dir, 'go'), '');
  }
  assert.equal(await run.exited, 0, run.output());
  assert.match(run.output(), /^a +\| end$/m);
  assert.match(run.output(), /Run #1 completed\./);
});

test('attach to a finished run prints it whole and exits with its outcome; an unknown run is an error', async () => {
  const dir = tempDir('ps-attach-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo nope; exit 3\n');
  assert.equal(await start(['run', 'p.pipeline.yaml'], dir).exited, 1);
  const attach = start(['attach', '1'], dir);
  assert.equal(await attach.exited, 1);
  assert.match(attach.output(), /^a \| nope$/m);
  assert.match(attach.output(), /^a \| ✕ failed \(exit code 3\)$/m);
  const missing = start(['attach', '9'], dir);
  assert.equal(await missing.exited, 1);
  assert.match(missing.output(), /run 9 not found/);
});
