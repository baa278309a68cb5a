/**
 * The runner's timers, injectable so that tests check the delays it asks for (retry backoff)
 * instead of measuring wall-clock gaps, which a busy machine stretches.
 */
export interface Clock {
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
}

export const realClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
};
