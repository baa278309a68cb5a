import type { LogChunkEvent, RunEvent } from './events.ts';

/** Output kept per run for a client that attaches later: about a terminal's worth of scrollback, and more. */
export const REPLAY_OUTPUT_CHARS = 1024 * 1024;
/** Merged chunks stay below this, so that dropping the oldest one never drops much more than needed. */
const MAX_MERGED_CHARS = 64 * 1024;

/**
 * A run's events so far, for a client that attaches to it after it started (a reloaded window):
 * every status and attempt event, and the most recent output up to a bound, in the order they
 * happened, so that a terminal renders them as it would have live. The stored logs stay the
 * complete record; this is only what a terminal shows again.
 */
export class RunReplay {
  private events: (RunEvent | undefined)[] = [];
  private outputChars = 0;
  private skipped = 0;
  /** Output before this index has been dropped (or was never output). */
  private trimFrom = 0;
  private holes = 0;
  private readonly capChars: number;

  constructor(capChars = REPLAY_OUTPUT_CHARS) {
    this.capChars = capChars;
  }

  add(event: RunEvent): void {
    if (event.type !== 'log-chunk') {
      this.events.push(event);
      return;
    }
    const last = this.events[this.events.length - 1];
    if (last?.type === 'log-chunk' && sameStream(last, event) && last.text.length + event.text.length <= MAX_MERGED_CHARS) {
      this.events[this.events.length - 1] = { ...last, text: last.text + event.text };
    } else {
      this.events.push({ ...event });
    }
    this.outputChars += event.text.length;
    this.trim();
  }

  /** The events to replay, oldest first, and how many characters of older output they leave out. */
  snapshot(): { events: RunEvent[]; skippedChars: number } {
    return { events: this.events.filter((e): e is RunEvent => e !== undefined), skippedChars: this.skipped };
  }

  private trim(): void {
    while (this.outputChars > this.capChars && this.trimFrom < this.events.length) {
      const event = this.events[this.trimFrom];
      if (event?.type === 'log-chunk') {
        this.outputChars -= event.text.length;
        this.skipped += event.text.length;
        this.events[this.trimFrom] = undefined;
        this.holes++;
      }
      this.trimFrom++;
    }
    // Many small interleaved chunks would otherwise leave the array mostly holes.
    if (this.holes > 1024 && this.holes * 2 > this.events.length) {
      const kept = this.events.slice(0, this.trimFrom).filter((e) => e !== undefined);
      this.events = [...kept, ...this.events.slice(this.trimFrom)];
      this.trimFrom = kept.length;
      this.holes = 0;
    }
  }
}

function sameStream(a: LogChunkEvent, b: LogChunkEvent): boolean {
  return a.block === b.block && a.attempt === b.attempt && a.stream === b.stream;
}
