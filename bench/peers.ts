// The peers the runner benchmarks measure beside `pipeline-studio run` on a no-op DAG (bench/generate.ts):
// GNU make over the same DAG, and a bare Node spawn loop that imports nothing (as lean as a Node
// scheduler gets). Shared by bench/runner.ts, bench/spawn.ts and bench/fanOut.ts (over a DAG without
// edges) so that all measure the same floor.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noopMakefile, noopPipelineYaml, type NoopDag } from './generate.ts';

/**
 * The floor for a Node scheduler: the same DAG, file order among ready blocks, `/bin/sh -c true`,
 * output piped and drained, nothing recorded. Run as `node -e BARE_LOOP <dag.json> <concurrency>`;
 * prints its own time, first spawn to last exit, in ms.
 */
export const BARE_LOOP = `
const { spawn } = require('node:child_process');
const dag = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
const concurrency = Number(process.argv[2]);
const waiting = dag.deps.map((d) => d.length);
const downstream = dag.ids.map(() => []);
dag.deps.forEach((deps, i) => deps.forEach((d) => downstream[d].push(i)));
const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
// Sorted only after pushes: 10,000 independent blocks are all ready at once.
let sorted = false;
let running = 0, left = dag.ids.length;
const started = performance.now();
const pump = () => {
  while (running < concurrency && ready.length > 0) {
    if (!sorted) ready.sort((a, b) => a - b);
    sorted = true;
    const index = ready.shift();
    running++;
    const proc = spawn('/bin/sh', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    proc.stdout.resume();
    proc.stderr.resume();
    proc.once('close', (code) => {
      if (code !== 0) process.exit(1);
      running--;
      left--;
      for (const down of downstream[index]) if (--waiting[down] === 0) { ready.push(down); sorted = false; }
      if (left > 0) pump();
      else process.stdout.write(String(performance.now() - started));
    });
  }
};
pump();
`;

/** The DAG written out for each scheduler: the pipeline, the Makefile, and the JSON the bare loop reads. */
export interface NoopPeerFiles {
  pipeline: string;
  makefile: string;
  dagJson: string;
  /** `/usr/bin/make` arguments: the whole DAG at `jobs`. */
  makeArgs(jobs: number): string[];
  /** `node` arguments: the bare loop over the DAG at `concurrency`. */
  bareLoopArgs(concurrency: number): string[];
}

/** Writes `dag` into `dir` as `<stem>.pipeline.yaml`, `<stem>.mk` and `<stem>.json`. */
export function writeNoopPeers(dir: string, dag: NoopDag, stem: string): NoopPeerFiles {
  const pipeline = join(dir, `${stem}.pipeline.yaml`);
  const makefile = join(dir, `${stem}.mk`);
  const dagJson = join(dir, `${stem}.json`);
  writeFileSync(pipeline, noopPipelineYaml(dag));
  writeFileSync(makefile, noopMakefile(dag));
  writeFileSync(dagJson, JSON.stringify(dag));
  return {
    pipeline,
    makefile,
    dagJson,
    makeArgs: (jobs) => ['-f', makefile, `-j${jobs}`, '-s', 'all'],
    bareLoopArgs: (concurrency) => ['-e', BARE_LOOP, dagJson, String(concurrency)],
  };
}
