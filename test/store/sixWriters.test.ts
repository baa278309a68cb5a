import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { root, tempFolder } from './helpers.ts';

// Six CLI runs (the built bundle, as users run it) write one store at once on a machine kept busy by
// two CPU burners, while `runs` listings open the same store for writing. Nothing may be refused or lost.

const CLI = join(root, 'dist', 'cli.cjs');
const RUNS = 6;
const BLOCKS = 3;
const LINES = 5000;
const burners: ChildProcess[] = [];

before(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (scripts/node24.sh npm run build)`);
  for (let i = 0; i < 2; i++) burners.push(spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
});

after(() => {
  for (const burner of burners) burner.kill('SIGKILL');
});

/** Block i: waits until every run is live (so all six really write at once), then prints LINES lines, every fifth on stderr. */
function pipeline(): string {
  const blocks = Array.from({ length: BLOCKS }, (_, i) =>
    `  b${i}:\n    run: |\n` +
    `      touch "live.$PIPELINE_RUN_ID"\n` +
    `      for t in $(seq 2400); do [ "$(ls live.* | wc -l)" -ge ${RUNS} ] && break; sleep 0.05; done\n` +
    `      ls live.* | wc -l > "saw.$PIPELINE_RUN_ID.b${i}"\n` +
    `      i=1\n` +
    `      while [ $i -le ${LINES} ]; do\n` +
    `        if [ $((i % 5)) -eq 0 ]; then echo "b${i} line $i" >&2; else echo "b${i} line $i"; fi\n` +
    `        i=$((i + 1))\n` +
    `      done\n`).join('');
  return `concurrency: ${BLOCKS}\nblocks:\n${blocks}`;
}

function start(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

test(`${RUNS} CLI runs into one store beside two CPU burners: all exit 0, every block run and all ${LINES.toLocaleString('en')} lines of each block are stored`, { timeout: 600_000 }, async (t) => {
  const { dir, cleanup } = tempFolder();
  try {
    writeFileSync(join(dir, 'p.pipeline.yaml'), pipeline());
    const store = join(dir, 'shared.sqlite');
    const started = Date.now();
    let running = true;
    const runs = Promise.all(Array.from({ length: RUNS }, () => start(['run', 'p.pipeline.yaml', '--store', store], dir))).finally(() => (running = false));
    // Listings open the store for writing too (they mark runs of dead owners interrupted).
    const listings: { code: number | null; out: string }[] = [];
    while (running) {
      if (existsSync(store)) listings.push(await start(['runs', '--store', store, '--json'], dir));
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const results = await runs;
    const wallMs = Date.now() - started;
    for (const r of results) assert.equal(r.code, 0, r.out);
    for (const l of listings) assert.equal(l.code, 0, l.out);
    const seen = readdirSync(dir).filter((name) => name.startsWith('saw.')).map((name) => Number(readFileSync(join(dir, name), 'utf8')));
    assert.deepEqual(seen, Array.from({ length: RUNS * BLOCKS }, () => RUNS), 'every block saw all six runs live: they wrote the store at the same time');
    t.diagnostic(`${RUNS} runs x ${BLOCKS} blocks x ${LINES} lines, ${listings.length} listings meanwhile: ${(wallMs / 1000).toFixed(1)} s wall`);

    const reader = openStore(store, { readonly: true });
    try {
      const history = reader.listRuns({ limit: 100 });
      assert.deepEqual(history.map((r) => r.id).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
      for (const run of history) {
        assert.deepEqual([run.status, run.counts], ['completed', { completed: BLOCKS }], `run #${run.id}`);
        for (const blockRun of reader.blockRuns(run.id)) {
          const i = Number(blockRun.block.slice(1));
          const chunks = reader.readLogs(blockRun.id);
          assert.equal(blockRun.logDroppedBytes, 0);
          const lines = (stream: string): string[] => chunks.filter((c) => c.stream === stream).map((c) => c.text).join('').split('\n').filter((l) => l !== '');
          const expected = (keep: (n: number) => boolean): string[] => Array.from({ length: LINES }, (_, n) => n + 1).filter(keep).map((n) => `b${i} line ${n}`);
          assert.deepEqual(lines('stdout'), expected((n) => n % 5 !== 0), `stdout of ${blockRun.block} in run #${run.id}`);
          assert.deepEqual(lines('stderr'), expected((n) => n % 5 === 0), `stderr of ${blockRun.block} in run #${run.id}`);
        }
      }
    } finally {
      reader.close();
    }
  } finally {
    cleanup();
  }
});
