/**
 * Whether five valid cron fields surely fire at least once a year, read from the text alone: the
 * never-fires check then skips its walk of the calendar (cron-parser over years of days costs
 * about a millisecond a trigger, most of the time spent validating a file with triggers).
 * True when the day of the month names a day every month has (1–28, or any day) without `L`/`W`;
 * hours, minutes and months of a valid cron always come round. False means "walk to know".
 */
export function cronSurelyFires(fields: string): boolean {
  const dayOfMonth = fields.trim().split(/\s+/)[2];
  if (dayOfMonth === undefined || /[LW#]/i.test(dayOfMonth)) return false;
  return dayOfMonth.split(',').some((token) => {
    if (token === '*' || token === '?' || token.startsWith('*/')) return true;
    const first = /^(\d+)/.exec(token);
    return first !== null && Number(first[1]) >= 1 && Number(first[1]) <= 28;
  });
}
