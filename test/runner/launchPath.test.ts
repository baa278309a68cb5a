import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchHandlers } from '../../core/src/runner/launcher.ts';
import { NativeLaunchHelper, nativeLauncherPath } from '../../core/src/runner/nativeLauncher.ts';
import type { LogWriter, RunStore } from '../../core/src/store/types.ts';
import { openStore } from '../../core/src/store/index.ts';
import { ROOT, runYaml, tempDir } from './support.ts';

// The per-block path between the engine and the native launch helper (issue 17's fan-out benchmark),
// checked by counts, not by time: what a block costs the engine is the messages, queries and
// system calls it makes, and those are counted here on the real helper and a real store.

/** The helper `npm run build` made, or one compiled here from native/launch.c (as the build does). */
function helperBinary(): string {
  const built = nativeLauncherPath();
  if (built !== undefined) return built;
  const out = join(tempDir('ps-launch-bin-'), 'ps-launch');
  const r = spawnSync(process.env.CC ?? 'cc', ['-O2', '-o', out, join(ROOT, 'native', 'launch.c')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `cc native/launch.c: ${r.stderr}`);
  return out;
}

const BINARY = helperBinary();
// The engine's runs in this file use this helper too (the default launcher looks here first).
process.env.PIPELINE_STUDIO_LAUNCHER = BINARY;
delete process.env.PIPELINE_STUDIO_SPAWN;

/** A native helper that keeps what each write to its stdin carried. */
class CountedHelper extends NativeLaunchHelper {
  /** What each write to the helper's stdin carried. */
  readonly chunks: string[] = [];

  protected override start(): ChildProcess {
    const child = super.start();
    const stdin = child.stdin;
    if (stdin !== null) {
      const write = stdin.write.bind(stdin) as (chunk: string) => boolean;
      stdin.write = ((chunk: string) => {
        this.chunks.push(chunk);
        return write(chunk);
      }) as typeof stdin.write;
    }
    return child;
  }
}

function launched(): { handlers: LaunchHandlers; closed: Promise<{ code: number | null; out: string; groupEmpty: boolean | undefined }> } {
  let out = '';
  let code: number | null = null;
  let done!: (v: { code: number | null; out: string; groupEmpty: boolean | undefined }) => void;
  const closed = new Promise<{ code: number | null; out: string; groupEmpty: boolean | undefined }>((resolve) => {
    done = resolve;
  });
  return {
    closed,
    handlers: {
      onSpawn: () => undefined,
      onOutput: (_stream, text) => {
        out += text;
      },
      onError: (error) => done({ code: -1, out: error.message, groupEmpty: undefined }),
      onExit: (c) => {
        code = c;
      },
      onClose: (groupEmpty) => done({ code, out, groupEmpty }),
    },
  };
}

test('the blocks started in one turn of the engine reach the helper in one write, before the event loop goes on', async () => {
  const helper = new CountedHelper(BINARY, 'launch-path-test', () => undefined, () => undefined);
  helper.prestart();
  const cwd = tempDir();
  const runs = Array.from({ length: 8 }, () => launched());
  runs.forEach((run, i) => {
    assert.equal(helper.launch({ file: 'sh', args: ['-c', `echo block-${i}`] }, cwd, { PATH: process.env.PATH ?? '/usr/bin:/bin' }, run.handlers), true);
  });
  // Not one write per block (the old path: 8), and not deferred to a later turn either.
  assert.equal(helper.chunks.length, 0, 'written at the end of the turn, not during it');
  await Promise.resolve();
  assert.equal(helper.chunks.length, 1, `eight requests, one write: ${JSON.stringify(helper.chunks)}`);
  const ends = await Promise.all(runs.map((r) => r.closed));
  assert.deepEqual(ends.map((e) => e.out), runs.map((_, i) => `block-${i}\n`));
  assert.ok(ends.every((e) => e.code === 0));
  // The helper looked at each block's group as its output closed: nothing was left in it.
  assert.ok(ends.every((e) => e.groupEmpty === true), JSON.stringify(ends));
});

test('a leftover in the block\'s group is reported on close, so that the engine still stops it', async () => {
  const helper = new CountedHelper(BINARY, 'launch-path-test', () => undefined, () => undefined);
  const run = launched();
  // The shell exits at once; its background sleep stays in the group, its output not holding the pipes.
  helper.launch({ file: 'sh', args: ['-c', 'sleep 30 >/dev/null 2>&1 &'] }, tempDir(), { PATH: process.env.PATH ?? '/usr/bin:/bin' }, run.handlers);
  const end = await run.closed;
  assert.equal(end.code, 0);
  assert.equal(end.groupEmpty, false);
  const r = await runYaml('blocks:\n  a:\n    run: |\n      sleep 30 >/dev/null 2>&1 &\n      echo "pid=$!" >> "$PIPELINE_OUTPUT"\n');
  const pid = Number(r.block('a').outputs.pid);
  assert.ok(pid > 0);
  // The engine stopped what the block left in its group (SIGTERM at once, as before).
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && existsSync(`/proc/${pid}`) && !/\) Z/.test(procStat(pid))) await new Promise((r2) => setTimeout(r2, 50));
  assert.ok(!existsSync(`/proc/${pid}`) || /\) Z/.test(procStat(pid)), `the leftover ${pid} still runs`);
});

function procStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

test('silent items open no log and cost the engine no kill(2) of their group; an item that prints is logged', async () => {
  const store = openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  let opened = 0;
  const counted: RunStore = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'openLog') {
        return (id: number): LogWriter => {
          opened++;
          return target.openLog(id);
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const original = Object.getOwnPropertyDescriptor(process, 'kill');
  const kill = process.kill.bind(process);
  let groupProbes = 0;
  process.kill = (pid: number, signal?: string | number): true => {
    if (pid < 0 && signal === 0) groupProbes++;
    return kill(pid, signal);
  };
  try {
    const r = await runYaml(`concurrency: 2
blocks:
  each:
    foreach: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, say]
    max_parallel: 2
    shell: sh
    run: if [ "\${{ item }}" = say ]; then echo hello; fi
`, { store: counted });
    assert.equal(r.result.status, 'completed');
    assert.equal(r.block('each').status, 'completed');
    // Twenty items: one log opened (the one that printed), not twenty.
    assert.equal(opened, 1);
    const rows = store.itemRuns(r.result.runId, 'each', { limit: 20 });
    assert.equal(rows.length, 20);
    assert.equal(store.readLogs(rows[19]?.id ?? 0).map((c) => c.text).join(''), 'hello\n');
    assert.deepEqual(store.readLogs(rows[0]?.id ?? 0), []);
    // The helper said each group was empty as the output closed: the engine did not probe one.
    assert.equal(groupProbes, 0);
  } finally {
    if (original !== undefined) Object.defineProperty(process, 'kill', original);
  }
});
