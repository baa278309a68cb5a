/**
 * A query the user typed that cannot be understood: where (1-based column into the query text) and
 * what was expected there. Never an exception escaping to the user as a crash: the CLI prints it,
 * the editor shows it under the query box.
 */
export class QueryError extends Error {
  readonly column: number;
  /** How many characters of the query the error is about (for an underline); at least 1. */
  readonly length: number;
  constructor(message: string, column: number, length = 1) {
    super(message);
    this.name = 'QueryError';
    this.column = column;
    this.length = Math.max(1, length);
  }

  /** `column 8: status: needs a value …`, the form the CLI prints. */
  describe(): string {
    return `column ${this.column}: ${this.message}`;
  }
}

/** The closest candidate within an edit distance a typo would make, for "did you mean …?". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(lower.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : ` Did you mean '${guess}'?`;
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters (`stauts`) counts once. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...Array.from({ length: b.length }, (_, j) => (i === 0 ? j + 1 : 0))]);
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (rows[i - 2]?.[j - 2] as number) + 1);
      row[j] = value;
    }
  }
  return rows[a.length]?.[b.length] ?? 0;
}
