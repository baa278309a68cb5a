/** A run is long-running past this multiple of its pipeline's median duration. */
export const LONG_RUNNING_FACTOR = 3;
/** The median is taken over this many of the pipeline's latest completed runs. */
export const LONG_RUNNING_SAMPLE = 20;
/** Fewer completed runs than this say too little about the usual duration: no alert. */
export const LONG_RUNNING_MIN_SAMPLE = 3;

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * After how long a new run counts as long-running: 3× the median duration of the pipeline's last 20
 * completed runs (their durations, newest first, as TriggerStore.recentDurations gives them), or
 * undefined when there are too few to judge. The median, not the mean: one stuck run in the history
 * must not raise the bar for the next ones. At least one second, so a pipeline of instant runs does not alert on noise.
 */
export function longRunningThreshold(durations: readonly number[]): number | undefined {
  const recent = durations.slice(0, LONG_RUNNING_SAMPLE);
  if (recent.length < LONG_RUNNING_MIN_SAMPLE) return undefined;
  const typical = median(recent);
  return typical === undefined ? undefined : Math.max(1000, Math.round(LONG_RUNNING_FACTOR * typical));
}
