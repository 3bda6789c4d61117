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

function londonClock(t: number) {
  const parts = Object.fromEntries(LONDON.formatToParts(new Date(t)).map((p) => [p.type, Number(p.value)]));
  return { hour: parts.hour ?? 12, minute: parts.minute ?? 0, offsetMs: Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour, parts.minute) - Math.floor(t / 60_000) * 60_000 };
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
