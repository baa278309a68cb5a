import { createHash, type Hash } from 'node:crypto';
import { closeSync, globSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ResolvedBlock } from './resolve.ts';

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
export function fingerprintBlock(block: ResolvedBlock, upstream: readonly UpstreamPrint[]): string {
  const patterns = block.block.cache?.inputs.map((i) => i.value) ?? [];
  const record = {
    version: 1,
    shell: block.shell,
    command: block.display,
    cwd: block.cwd,
    env: sortedEntries(block.definedEnv),
    inputs: hashInputs(block.cwd, patterns),
    upstream: [...upstream].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((u) => [u.id, u.fingerprint ?? null, sortedEntries(u.outputs)]),
  };
  return createHash('sha256').update(JSON.stringify(record)).digest('hex');
}

/** Path (as written in `cache.outputs`) → content hash; a folder hashes every file under it; `missing` when absent. */
export function hashOutputs(cwd: string, paths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of paths) out[path] = hashPath(resolve(cwd, path));
  return out;
}

export function sameHashes(recorded: Record<string, string> | undefined, current: Record<string, string>): boolean {
  if (recorded === undefined) return Object.keys(current).length === 0;
  const keys = Object.keys(current);
  return keys.length === Object.keys(recorded).length && keys.every((k) => recorded[k] === current[k] && current[k] !== 'missing');
}

function hashInputs(cwd: string, patterns: readonly string[]): [string, string][] {
  const files = new Set<string>();
  for (const pattern of patterns) {
    for (const match of globSync(pattern, { cwd })) {
      const path = resolve(cwd, match);
      try {
        if (statSync(path).isFile()) files.add(path);
      } catch {
        // vanished between the listing and the stat
      }
    }
  }
  return [...files].sort().map((path) => [relative(cwd, path), hashFile(path)]);
}

function hashPath(path: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 'missing';
  }
  if (stat.isFile()) return hashFile(path);
  if (!stat.isDirectory()) return 'missing';
  const hash = createHash('sha256');
  const files = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(`${relative(path, file)}\0${hashFile(file)}\0`);
  return `dir:${hash.digest('hex')}`;
}

const buffer = Buffer.allocUnsafe(1 << 20);

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
