/**
 * Positions along a line as close as possible (least squares) to `desired`, keeping item i at least
 * `minGap[i]` after item i-1. Subtracting the cumulative gaps turns this into isotonic regression,
 * solved exactly by pool-adjacent-violators in linear time.
 */
export function isotonicPlace(desired: readonly number[], minGap: readonly number[]): number[] {
  const n = desired.length;
  const offset = new Float64Array(n);
  for (let i = 1; i < n; i++) offset[i] = (offset[i - 1] ?? 0) + (minGap[i] ?? 0);
  // Blocks of pooled items: their mean target and how many items they hold.
  const mean: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    let m = (desired[i] ?? 0) - (offset[i] ?? 0);
    let w = 1;
    while (mean.length > 0 && (mean[mean.length - 1] ?? 0) > m) {
      const pm = mean.pop() ?? 0;
      const pw = weight.pop() ?? 0;
      m = (pm * pw + m * w) / (pw + w);
      w += pw;
    }
    mean.push(m);
    weight.push(w);
  }
  const out: number[] = new Array<number>(n);
  let i = 0;
  for (let b = 0; b < mean.length; b++) {
    for (let k = 0; k < (weight[b] ?? 0); k++, i++) out[i] = (mean[b] ?? 0) + (offset[i] ?? 0);
  }
  return out;
}
