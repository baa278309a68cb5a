import { createHash, type Hash } from 'node:crypto';
import { closeSync, globSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ResolvedBlock } from './resolve.ts';

/** Files larger than this are not read to fingerprint or compare them (the `pipelineStudio.details.hashLimit` setting's default). */
export const DEFAULT_HASH_LIMIT_BYTES = 1024 ** 3;

/** What an upstream block contributes to a fingerprint: its own fingerprint (if cached) and outputs. */
export interface UpstreamPrint {
  id: string;
  fingerprint: string | undefined;
  outputs: Record<string, string>;
}

/**
 * A cached block's fingerprint (the format reference's "Cache" section): its resolved command and
 * shell, the environment the pipeline defines for it (not the inherited process environment, nor
 * the per-run PIPELINE_RUN_ID and PIPELINE_OUTPUT, which would make every run a miss), the content
 * of every file its `inputs` globs match, and the fingerprints and outputs of its direct upstream
 * blocks (an upstream fingerprint already covers that block's own upstream).
 */
export function fingerprintBlock(block: ResolvedBlock, upstream: readonly UpstreamPrint[], limitBytes = DEFAULT_HASH_LIMIT_BYTES): string {
  const patterns = block.block.cache?.inputs.map((i) => i.value) ?? [];
  const record = {
    version: 1,
    shell: block.shell,
    command: block.display,
    cwd: block.cwd,
    env: sortedEntries(block.definedEnv),
    inputs: hashInputs(block.cwd, patterns, limitBytes),
    upstream: [...upstream].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((u) => [u.id, u.fingerprint ?? null, sortedEntries(u.outputs)]),
  };
  return createHash('sha256').update(JSON.stringify(record)).digest('hex');
}

/**
 * Path (as written in `cache.outputs`) → content hash; a folder hashes every file under it; `missing` when absent.
 * A file over `limitBytes` stands for its size and modification time instead (as make decides), not its bytes.
 */
export function hashOutputs(cwd: string, paths: readonly string[], limitBytes = DEFAULT_HASH_LIMIT_BYTES): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of paths) out[path] = hashPath(resolve(cwd, path), limitBytes);
  return out;
}

export function sameHashes(recorded: Record<string, string> | undefined, current: Record<string, string>): boolean {
  if (recorded === undefined) return Object.keys(current).length === 0;
  const keys = Object.keys(current);
  return keys.length === Object.keys(recorded).length && keys.every((k) => recorded[k] === current[k] && current[k] !== 'missing');
}

function hashInputs(cwd: string, patterns: readonly string[], limitBytes: number): [string, string][] {
  const files = new Map<string, Stats>();
  for (const pattern of patterns) {
    for (const match of globSync(pattern, { cwd })) {
      const path = resolve(cwd, match);
      // Undefined when it vanished between the listing and the stat.
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isFile() === true) files.set(path, stat);
    }
  }
  return [...files.keys()].sort().map((path) => [relative(cwd, path), hashFileWithin(path, files.get(path), limitBytes)]);
}

function hashPath(path: string, limitBytes: number): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 'missing';
  if (stat.isFile()) return hashFileWithin(path, stat, limitBytes);
  if (!stat.isDirectory()) return 'missing';
  const hash = createHash('sha256');
  const files = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(`${relative(path, file)}\0${hashFileWithin(file, statSync(file, { throwIfNoEntry: false }), limitBytes)}\0`);
  return `dir:${hash.digest('hex')}`;
}

const buffer = Buffer.allocUnsafe(1 << 20);

/** The file's content hash, or for one over the limit its size and modification time (read no further). */
function hashFileWithin(path: string, stat: Stats | undefined, limitBytes: number): string {
  if (stat !== undefined && stat.size > limitBytes) return `unhashed:${stat.size}:${stat.mtimeMs}`;
  return hashFile(path);
}

/** Streams the file through the hash, so a large data file costs time but not memory. */
function hashFile(path: string): string {
  const hash: Hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n <= 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
