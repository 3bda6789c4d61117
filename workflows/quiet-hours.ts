// Nobody is texted between 21:00 and 08:00 UK time. Pure and deterministic:
// it only reads the (workflow) time it is given.
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

const QUIET_FROM_HOUR = 21;
const QUIET_UNTIL_HOUR = 8;

/** UK wall-clock time at `t`, and the UK offset from UTC then. */
export function londonClock(t: number) {
  const parts = Object.fromEntries(LONDON.formatToParts(new Date(t)).map((p) => [p.type, Number(p.value)]));
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour ?? 12,
    minute: parts.minute ?? 0,
    offsetMs: Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour, parts.minute) - Math.floor(t / 60_000) * 60_000,
  };
}

/** The UK date at `t` (YYYY-MM-DD), and when that day began (UTC ms). */
export function londonDay(t: number): { day: string; startMs: number } {
  const c = londonClock(t);
  const midnightUtc = Date.UTC(c.year, c.month - 1, c.day);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { day: `${c.year}-${pad(c.month)}-${pad(c.day)}`, startMs: midnightUtc - londonClock(midnightUtc).offsetMs };
}

/**
 * Milliseconds from `now` until 08:00 UK time if `now` is in quiet hours,
 * else 0. A night when the clocks change is an hour shorter or longer: the
 * wait is corrected by the change of offset, so it never ends at 07:00.
 */
export function msUntilDaytime(now: number): number {
  const clock = londonClock(now);
  if (clock.hour >= QUIET_UNTIL_HOUR && clock.hour < QUIET_FROM_HOUR) return 0;
  const hoursLeft = clock.hour >= QUIET_FROM_HOUR ? 24 - clock.hour + QUIET_UNTIL_HOUR : QUIET_UNTIL_HOUR - clock.hour;
  const wallClockWait = (hoursLeft * 60 - clock.minute) * 60_000;
  return wallClockWait - (londonClock(now + wallClockWait).offsetMs - clock.offsetMs);
}
