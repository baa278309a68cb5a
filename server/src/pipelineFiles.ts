import { readdirSync, type Dirent } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Folders never searched for pipeline files: dependencies, VCS data, build output and the run store. */
const SKIPPED = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'venv']);
/** How deep below the file's folder, and how many names at most: a completion list, not a file index. */
const MAX_DEPTH = 3;
const MAX_FILES = 200;
const PIPELINE_FILE = /\.pipeline\.ya?ml$/;

/**
 * The pipeline files a `pipeline:` value of `file` may name, as the value is written: `./x.pipeline.yaml`
 * beside it, `./sub/y.pipeline.yaml` below it (up to three folders down), then `../z.pipeline.yaml` in
 * the folder above. The file itself is left out (a pipeline may not include itself).
 */
export function pipelineFilesNear(file: string): string[] {
  const folder = dirname(file);
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    const entries = readEntries(dir);
    for (const e of entries) {
      if (found.length >= MAX_FILES) return;
      const path = join(dir, e.name);
      if (e.isFile() && PIPELINE_FILE.test(e.name) && path !== file) found.push(`./${relative(folder, path).split(sep).join('/')}`);
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED.has(e.name)) visit(join(dir, e.name), depth + 1);
  };
  visit(folder, 0);
  const parent = dirname(folder);
  if (parent !== folder) {
    for (const e of readEntries(parent)) {
      if (found.length >= MAX_FILES) break;
      if (e.isFile() && PIPELINE_FILE.test(e.name)) found.push(`../${e.name}`);
    }
  }
  return found;
}

function readEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return []; // unreadable or gone: nothing to offer from it
  }
}
