import { setFlagsFromString } from 'node:v8';

/**
 * The headless scheduler spends its life waiting on timers. V8's optimizing compilers (Maglev and
 * TurboFan), which arming a thousand triggers wakes up, page in ~13 MB of compiler code and keep
 * their output, for a speed it does not need (bench/triggers.ts: 85 → 72 MB RSS for 1,000 triggers).
 * Called before anything gets hot; the runs' blocks are child processes and keep their full speed,
 * and so does the child process that checks pipeline files. Best effort: an unknown flag changes nothing.
 */
export function preferMemoryToPeakSpeed(): void {
  for (const flag of ['--no-maglev', '--no-turbofan']) {
    try {
      setFlagsFromString(flag);
    } catch {
      // Not this V8: nothing to turn off.
    }
  }
}
