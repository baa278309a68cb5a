import { globSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArtifactDirection } from './types.ts';

/** What one stat said of a file: enough to record it and to decide whether to hash it again. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** A block's `cache` globs and paths as written. */
export interface DeclaredCache {
  inputs: readonly string[];
  outputs: readonly string[];
}

export interface DeclaredFile {
  direction: ArtifactDirection;
  /** The glob or path as written. */
  declared: string;
  /** Absolute. */
  path: string;
  /** Undefined when the file is missing. */
  stat: FileStat | undefined;
}

/**
 * Stats taken during one recording sweep, by absolute path: a file that several globs (or one
 * block's output and the next block's input, recorded in the same sweep) name is looked at once.
 * Never kept past the sweep, so a file changed later is seen as changed.
 */
export type StatCache = Map<string, FileStat | null>;

/**
 * The files a block declares through `cache`: every file its `inputs` globs match, and every file
 * under each `outputs` path (a missing output is listed as its own path, to be recorded missing).
 * The same declarations the cache fingerprints, so the records show what decided a cache hit.
 * Each file is stat'ed once (through `stats`); a glob's directory entries say which are files.
 */
export function declaredFiles(cache: DeclaredCache, cwd: string, stats: StatCache = new Map()): DeclaredFile[] {
  const files: DeclaredFile[] = [];
  for (const input of cache.inputs) {
    const matches = new Map<string, FileStat>();
    if (!GLOB_SYNTAX.test(input)) {
      // A plain path: what a glob would match is the file itself, without compiling a glob for it (most of a glob's cost).
      const path = resolve(cwd, input);
      const stat = statOnce(path, stats);
      if (stat !== undefined && stat !== 'directory') files.push({ direction: 'input', declared: input, path, stat });
      continue;
    }
    try {
      for (const entry of globSync(input, { cwd, withFileTypes: true })) {
        // A symlink is followed by the stat; a directory is not a file the block read.
        if (!entry.isFile() && !entry.isSymbolicLink()) continue;
        const path = resolve(cwd, entry.parentPath, entry.name);
        const stat = statOnce(path, stats);
        if (stat !== undefined && stat !== 'directory') matches.set(path, stat);
      }
    } catch {
      // an unreadable folder: nothing matched there
    }
    for (const path of [...matches.keys()].sort()) files.push({ direction: 'input', declared: input, path, stat: matches.get(path) });
  }
  for (const output of cache.outputs) {
    const root = resolve(cwd, output);
    const stat = statOnce(root, stats);
    if (stat !== 'directory') {
      files.push({ direction: 'output', declared: output, path: root, stat });
      continue;
    }
    for (const path of filesUnder(root)) {
      const under = statOnce(path, stats);
      files.push({ direction: 'output', declared: output, path, stat: under === 'directory' ? undefined : under });
    }
  }
  return files;
}

/** Characters that make a pattern more than a path (wildcards, classes, braces, extglobs, escapes). */
const GLOB_SYNTAX = /[*?[\]{}()!+@|\\]/;

function statOnce(path: string, stats: StatCache): FileStat | 'directory' | undefined {
  const cached = stats.get(path);
  if (cached !== undefined) return cached ?? undefined;
  const info = statSync(path, { throwIfNoEntry: false });
  if (info?.isDirectory() === true) return 'directory';
  const stat = info?.isFile() === true ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  stats.set(path, stat ?? null);
  return stat;
}

function filesUnder(root: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}
