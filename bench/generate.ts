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
