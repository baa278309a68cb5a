/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The closest candidate to a misspelt name, if close enough to be what the user meant.
 * Case-only differences and `dependsOn`/`depends-on` style variants always qualify.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const normal = normalize(word);
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (normalize(candidate) === normal) return candidate;
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase(), limit);
    // Replacing half the word or more is a different word, not a typo ('c' is not a misspelt 'b').
    if (d < bestDistance && d * 2 < word.length) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}
