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
