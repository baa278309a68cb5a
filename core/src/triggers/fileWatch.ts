import { matchesGlob, relative, sep } from 'node:path';
import { watch } from 'chokidar';

const IGNORED = /(^|[\\/])(node_modules|\.git|\.pipelines|\.tools)([\\/]|$)/;

/**
 * Watches `folder` for created or changed files matching `globs` (relative to it), through
 * chokidar (the platform's watcher, no polling). Returns a function that stops watching.
 */
export function watchGlobs(folder: string, globs: string[], onFile: (path: string) => void, onError?: (error: unknown) => void): () => void {
  const watcher = watch(folder, { ignoreInitial: true, ignored: (path) => IGNORED.test(relative(folder, path)) });
  const onEvent = (path: string): void => {
    const rel = relative(folder, path).split(sep).join('/');
    if (globs.some((glob) => matchesGlob(rel, glob.replace(/^\.\//, '')))) onFile(path);
  };
  watcher.on('add', onEvent);
  watcher.on('change', onEvent);
  watcher.on('error', (error) => onError?.(error));
  return () => void watcher.close();
}
