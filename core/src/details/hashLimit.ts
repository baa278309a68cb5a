/** The environment variable the CLI reads the hash limit from when `--hash-limit` is not given. */
export const HASH_LIMIT_ENV = 'PIPELINE_STUDIO_HASH_LIMIT';

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, KIB: 1024, M: 1024 ** 2, MB: 1024 ** 2, MIB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3, GIB: 1024 ** 3, T: 1024 ** 4, TB: 1024 ** 4, TIB: 1024 ** 4 };

/**
 * A size as people write it: `1073741824`, `512M`, `1G`, `1.5GiB` (binary units: K, M, G and T
 * are powers of 1024). An error message (a string) when it is not one.
 */
export function parseByteSize(text: string): number | { error: string } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match === null ? undefined : UNITS[(match[2] ?? '').toUpperCase()];
  if (match === null || factor === undefined) return { error: `'${text}' is not a size (examples: 1073741824, 512M, 1G)` };
  return Math.round(Number(match[1]) * factor);
}
