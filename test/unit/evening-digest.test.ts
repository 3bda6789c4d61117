import { test } from 'node:test';
import assert from 'node:assert/strict';

import { digestText } from '../../workflows/digest-text';
import { londonDay } from '../../workflows/quiet-hours';

const base = { clientId: 'c1', businessName: 'Ace Plumbing', ownerPhone: '+447700900100', jobrunNumber: '+447700900001' };

test('the day\'s jobs a line each, and the ones not yet taken', () => {
  const text = digestText({
    ...base,
    jobs: [
      { reference: 'J4', urgency: 'EMERGENCY', line: 'gas smell, SE1 7PB', progress: 'TAKEN' },
      { reference: 'J5', urgency: 'URGENT', line: 'no heating or hot water', progress: 'NEW' },
      { reference: 'J6', urgency: 'ROUTINE', line: null, progress: 'TAKEN_OVER' },
    ],
  });
  assert.equal(text, 'JobRun today for Ace Plumbing: 3 jobs.\nJ4 EMERGENCY gas smell, SE1 7PB (taken)\nJ5 URGENT no heating or hot water\nJ6 ROUTINE (taken over)\nNot yet taken: J5.');
});

test('a busy day stays one text: the lines that fit, then how many more', () => {
  const jobs = Array.from({ length: 40 }, (_, i) => ({ reference: `J${i + 1}`, urgency: 'ROUTINE', line: 'new outside tap and a quote for a bathroom', progress: 'TAKEN' }));
  const text = digestText({ ...base, jobs });
  assert.ok(text.length <= 600, `${text.length} characters`);
  assert.match(text, /\.\.\.and \d+ more \(jobrun jobs list\)\.\nAll taken\.$/);
});

test('the UK day: its date and when it began, in summer time and out of it', () => {
  assert.deepEqual(londonDay(Date.parse('2026-07-01T12:00:00Z')), { day: '2026-07-01', startMs: Date.parse('2026-06-30T23:00:00Z') });
  assert.deepEqual(londonDay(Date.parse('2026-07-01T23:30:00Z')), { day: '2026-07-02', startMs: Date.parse('2026-07-01T23:00:00Z') });
  assert.deepEqual(londonDay(Date.parse('2026-12-01T00:30:00Z')), { day: '2026-12-01', startMs: Date.parse('2026-12-01T00:00:00Z') });
});
