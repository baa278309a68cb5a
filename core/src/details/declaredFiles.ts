import { globSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Block } from '../model/pipeline.ts';
import type { ArtifactDirection } from './types.ts';

export interface DeclaredFile {
  direction: ArtifactDirection;
  /** The glob or path as written. */
  declared: string;
  /** Absolute. */
  path: string;
}

/**
 * The files a block declares through `cache`: every file its `inputs` globs match, and every file
 * under each `outputs` path (a missing output is listed as its own path, to be recorded missing).
 * The same declarations the cache fingerprints, so the records show what decided a cache hit.
 */
export function declaredFiles(block: Block, cwd: string): DeclaredFile[] {
  const cache = block.cache;
  if (cache === undefined) return [];
  const files: DeclaredFile[] = [];
  for (const input of cache.inputs) {
    const matches = new Set<string>();
    try {
      for (const match of globSync(input.value, { cwd })) {
        const path = resolve(cwd, match);
        if (isFile(path)) matches.add(path);
      }
    } catch {
      // an unreadable folder: nothing matched there
    }
    for (const path of [...matches].sort()) files.push({ direction: 'input', declared: input.value, path });
  }
  for (const output of cache.outputs) {
    const root = resolve(cwd, output.value);
    for (const path of filesUnder(root)) files.push({ direction: 'output', declared: output.value, path });
  }
  return files;
}

function filesUnder(root: string): string[] {
  let info;
  try {
    info = statSync(root);
  } catch {
    return [root];
  }
  if (!info.isDirectory()) return [root];
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
