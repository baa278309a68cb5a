import { isAbsolute, matchesGlob, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

const IGNORED = /(^|[\\/])(node_modules|\.git|\.pipelines|\.tools)([\\/]|$)/;

interface Subscriber {
  /** The folder its globs are relative to: the hub's, or one under it. */
  base: string;
  globs: string[];
  onFile: (path: string) => void;
  onError: ((error: unknown) => void) | undefined;
  onReady: (() => void) | undefined;
}

interface Hub {
  folder: string;
  watcher: FSWatcher;
  subscribers: Set<Subscriber>;
  /** The initial scan is over: changes from now on are reported. */
  ready: boolean;
}

/**
 * One chokidar watcher per folder, however many triggers watch it: a thousand triggers must not mean
 * a thousand watchers. A folder under one already watched (recursively) shares that watcher.
 */
const hubs = new Map<string, Hub>();

function hubOf(folder: string): Hub {
  const hub = hubs.get(folder) ?? [...hubs.entries()].find(([watched]) => isUnder(watched, folder))?.[1];
  if (hub !== undefined) return hub;
  const watcher = watch(folder, { ignoreInitial: true, ignored: (path) => IGNORED.test(relative(folder, path)) });
  const subscribers = new Set<Subscriber>();
  const onEvent = (path: string): void => {
    for (const s of subscribers) {
      if (!isUnder(s.base, path)) continue;
      const rel = relative(s.base, path).split(sep).join('/');
      if (s.globs.some((glob) => matchesGlob(rel, glob.replace(/^\.\//, '')))) s.onFile(path);
    }
  };
  watcher.on('add', onEvent);
  watcher.on('change', onEvent);
  watcher.on('error', (error) => {
    for (const s of subscribers) s.onError?.(error);
  });
  const created: Hub = { folder, watcher, subscribers, ready: false };
  watcher.on('ready', () => {
    created.ready = true;
    for (const s of subscribers) s.onReady?.();
  });
  hubs.set(folder, created);
  return created;
}

/**
 * Calls `onFile` for files created or changed under `folder` that match `globs` (relative to it),
 * through chokidar (the platform's watcher, no polling). Returns a function that stops watching.
 */
export function watchGlobs(folder: string, globs: string[], onFile: (path: string) => void, onError?: (error: unknown) => void, onReady?: () => void): () => void {
  const hub = hubOf(folder);
  const subscriber: Subscriber = { base: folder, globs, onFile, onError, onReady };
  hub.subscribers.add(subscriber);
  if (hub.ready) onReady?.();
  return () => {
    hub.subscribers.delete(subscriber);
    if (hub.subscribers.size > 0 || hubs.get(hub.folder) !== hub) return;
    hubs.delete(hub.folder);
    void hub.watcher.close();
  };
}

/** `path` is `folder` or inside it. */
function isUnder(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
