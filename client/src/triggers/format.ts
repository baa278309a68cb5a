const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Tue 03:00" in this machine's time zone; with the date when it is a week or more away. */
export function formatWhen(at: number, now: number): string {
  const d = new Date(at);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}${d.getSeconds() !== 0 ? `:${String(d.getSeconds()).padStart(2, '0')}` : ''}`;
  if (at - now >= 6 * 86_400_000) return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${time}`;
  return `${WEEKDAYS[d.getDay()] ?? ''} ${time}`;
}

/** "in 7 h", "in 12 min", "in 40 s", "now": how far ahead, roughly. */
export function formatRelative(at: number, now: number): string {
  const ms = at - now;
  if (ms < 1000) return 'now';
  if (ms < 60_000) return `in ${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `in ${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `in ${Math.round(ms / 3_600_000)} h`;
  return `in ${Math.round(ms / 86_400_000)} d`;
}

/** "next: Tue 03:00 (in 7 h)". */
export function formatNext(at: number | undefined, now: number): string {
  return at === undefined ? 'never fires again' : `next: ${formatWhen(at, now)} (${formatRelative(at, now)})`;
}
