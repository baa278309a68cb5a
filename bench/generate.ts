/**
 * Generates a layered DAG pipeline: blocks in layers of ~sqrt(n), each depending on 1–3 blocks of
 * the previous layer, commands using a variable and an upstream output. Deterministic per size.
 */
export function generatePipeline(blocks: number, command = 'echo'): string {
  let seed = blocks * 7919;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const width = Math.max(2, Math.round(Math.sqrt(blocks)));
  const lines = ['name: generated', 'variables:', '  env: { default: dev, enum: [dev, prod] }', 'blocks:'];
  for (let i = 0; i < blocks; i++) {
    const layer = Math.floor(i / width);
    lines.push(`  b${i}:`);
    if (layer === 0) {
      lines.push(`    run: ${command} "b${i} \${{ vars.env }}"`);
    } else {
      const start = (layer - 1) * width;
      const count = 1 + Math.floor(random() * 3);
      const deps = new Set<number>();
      for (let k = 0; k < count; k++) deps.add(start + Math.floor(random() * width));
      const first = [...deps][0] ?? start;
      lines.push(`    run: ${command} "b${i} \${{ vars.env }} \${{ blocks.b${first}.outputs.n }}"`);
      lines.push(`    depends_on: [${[...deps].map((d) => `b${d}`).join(', ')}]`);
    }
    lines.push('    outputs: [n]');
  }
  return `${lines.join('\n')}\n`;
}

export const SIZES = [50, 200, 1000, 3000, 10000];

/** Median wall time of `fn` in ms, over as many runs as fit in `budgetMs` (at least 5). */
export function medianMs(fn: () => void, budgetMs = 1500): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < 5 || performance.now() < end) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1] ?? 0;
}

/** Median wall time of `fn` in ms over exactly `iterations` runs, after `warmup` unmeasured ones. */
export function medianOfIterationsMs(fn: () => unknown, iterations: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** A layered DAG of `blocks` ids (`b0`…): layers of ~sqrt(n), each block after layer 0 depending on 1–3 of the previous layer. */
export interface NoopDag {
  ids: string[];
  /** deps[i]: indexes of the blocks b<i> depends on, all smaller than i. */
  deps: number[][];
}

/** The same shape as generatePipeline, deterministic per size, for the runner benchmark (bench/runner.ts). */
export function generateNoopDag(blocks: number): NoopDag {
  let seed = blocks * 7919;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const width = Math.max(2, Math.round(Math.sqrt(blocks)));
  const ids: string[] = [];
  const deps: number[][] = [];
  for (let i = 0; i < blocks; i++) {
    ids.push(`b${i}`);
    const layer = Math.floor(i / width);
    const mine = new Set<number>();
    if (layer > 0) {
      const start = (layer - 1) * width;
      const count = 1 + Math.floor(random() * 3);
      for (let k = 0; k < count; k++) mine.add(start + Math.floor(random() * width));
    }
    deps.push([...mine]);
  }
  return { ids, deps };
}

/** `blocks` ids with no dependencies at all: what a fan-out's items are to make and the bare loop (bench/fanOut.ts). */
export function independentNoopDag(blocks: number): NoopDag {
  const ids = Array.from({ length: blocks }, (_, i) => `b${i}`);
  return { ids, deps: ids.map(() => []) };
}

/** The DAG as a pipeline whose every block runs `command` through `shell`. */
export function noopPipelineYaml(dag: NoopDag, command = 'true', shell = 'sh'): string {
  const lines = ['name: noop-dag', 'defaults:', `  shell: ${shell}`, 'blocks:'];
  dag.ids.forEach((id, i) => {
    lines.push(`  ${id}:`, `    run: "${command}"`);
    const deps = dag.deps[i] ?? [];
    if (deps.length > 0) lines.push(`    depends_on: [${deps.map((d) => dag.ids[d]).join(', ')}]`);
  });
  return `${lines.join('\n')}\n`;
}

/** The DAG as a Makefile of phony targets, so that GNU make runs every recipe on every invocation. */
export function noopMakefile(dag: NoopDag, command = 'true'): string {
  const lines = [`.PHONY: all ${dag.ids.join(' ')}`, `all: ${dag.ids.join(' ')}`];
  dag.ids.forEach((id, i) => {
    lines.push(`${id}: ${(dag.deps[i] ?? []).map((d) => dag.ids[d]).join(' ')}`.trimEnd(), `\t@${command}`);
  });
  return `${lines.join('\n')}\n`;
}
