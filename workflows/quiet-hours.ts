// Nobody is texted between 21:00 and 08:00 UK time. Pure and deterministic:
// it only reads the (workflow) time it is given.
const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });

const QUIET_FROM_HOUR = 21;
const QUIET_UNTIL_HOUR = 8;

/** Milliseconds from `now` until 08:00 UK time if `now` is in quiet hours, else 0. */
export function msUntilDaytime(now: number): number {
  const parts = LONDON_HOUR.formatToParts(new Date(now));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 12);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return 0;
  const hoursLeft = hour >= QUIET_FROM_HOUR ? 24 - hour + QUIET_UNTIL_HOUR : QUIET_UNTIL_HOUR - hour;
  return (hoursLeft * 60 - minute) * 60_000;
}
