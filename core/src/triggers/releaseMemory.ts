import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

let gc: GcFunction | undefined | null;

/**
 * Gives back to the system the memory that reading many pipeline files grew the heap to. Checking
 * 200 files allocates fast, so V8 grows its young generation to 32 MB and keeps it, though little
 * survives: a long-running scheduler would hold ~40 MB it never uses again (bench/triggers.ts). A
 * memory-reducing collection shrinks it back. Node exposes no such call without --expose-gc, which
 * a CLI cannot require of systemd units; setting the flag at run time does expose `gc` to a new
 * context. Best effort: without it, nothing happens. Called after (re)loading, rarely.
 */
export function releaseLoadMemory(): void {
  if (gc === null) return;
  try {
    if (gc === undefined) {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as GcFunction;
    }
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    gc = null;
  }
}
