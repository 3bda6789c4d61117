import assert from 'node:assert/strict';
import { test } from 'node:test';
import { msUntilDaytime } from '../../workflows/quiet-hours';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

test('daytime in the UK needs no wait', () => {
  assert.equal(msUntilDaytime(at('2026-01-15T08:00:00Z')), 0);
  assert.equal(msUntilDaytime(at('2026-01-15T20:59:00Z')), 0);
});

test('in quiet hours the wait ends at 08:00 UK time (GMT in winter)', () => {
  assert.equal(msUntilDaytime(at('2026-01-15T21:00:00Z')), 11 * HOUR);
  assert.equal(msUntilDaytime(at('2026-01-15T23:30:00Z')), 8.5 * HOUR);
  assert.equal(msUntilDaytime(at('2026-01-16T07:59:00Z')), 60_000);
});

test('British Summer Time is honoured: 20:30 UTC in July is 21:30 in London', () => {
  assert.equal(msUntilDaytime(at('2026-07-15T20:30:00Z')), 10.5 * HOUR);
  assert.equal(msUntilDaytime(at('2026-07-15T07:00:00Z')), 0, '08:00 BST');
  assert.equal(msUntilDaytime(at('2026-07-15T06:30:00Z')), 30 * 60_000);
});

test('g. the night the clocks go back (last Sunday of October) is an hour longer: the wait still ends at 08:00, not 07:00', () => {
  // 22:00 BST on Saturday 24 October 2026; 08:00 GMT on Sunday is 11 hours on.
  assert.equal(msUntilDaytime(at('2026-10-24T21:00:00Z')), 11 * HOUR);
  assert.equal(msUntilDaytime(at('2026-10-25T00:30:00Z')), 7.5 * HOUR, '01:30 BST, the first of the two');
  assert.equal(msUntilDaytime(at('2026-10-25T01:30:00Z')), 6.5 * HOUR, '01:30 GMT, the second');
});

test('g. the night the clocks go forward (last Sunday of March) is an hour shorter: the wait ends at 08:00 BST', () => {
  // 22:00 GMT on Saturday 27 March 2027; 08:00 BST on Sunday is 07:00 UTC, 9 hours on.
  assert.equal(msUntilDaytime(at('2027-03-27T22:00:00Z')), 9 * HOUR);
  assert.equal(msUntilDaytime(at('2027-03-28T00:30:00Z')), 6.5 * HOUR, '00:30 GMT');
  assert.equal(msUntilDaytime(at('2027-03-28T06:59:00Z')), 60_000, '07:59 BST');
});

test('g. whatever the night, the wait never ends in quiet hours', () => {
  const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', hourCycle: 'h23' });
  for (const start of [at('2026-10-24T12:00:00Z'), at('2027-03-27T12:00:00Z'), at('2026-12-01T12:00:00Z')]) {
    for (let t = start; t < start + 2 * 24 * HOUR; t += 7 * 60_000) {
      const wait = msUntilDaytime(t);
      const hour = Number(london.format(new Date(t + wait)));
      assert.ok(hour >= 8 && hour < 21, `${new Date(t).toISOString()} + ${wait / 60_000} min lands at ${hour}:00`);
    }
  }
});
