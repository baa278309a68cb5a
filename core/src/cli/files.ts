import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withoutByteOrderMark } from '../text/byteOrderMark.ts';

export const PIPELINE_FILE = /\.pipeline\.ya?ml$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.pipelines', '.tools', 'dist']);

export class UsageError extends Error {}

/** A pipeline file's text as an editor holds it: without a byte-order mark, so columns match. */
export function readPipelineFile(path: string): string {
  return withoutByteOrderMark(readFileSync(path, 'utf8'));
}

/** Expands files and folders (recursively) into pipeline files, in a stable sorted order. */
export function findPipelineFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`No such file or folder: ${path}`);
    }
    if (stat.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function walk(folder: string, out: string[]): void {
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, out);
    } else if (entry.isFile() && PIPELINE_FILE.test(entry.name)) {
      out.push(path);
    }
  }
}
