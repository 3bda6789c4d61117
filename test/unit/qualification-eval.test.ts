// The rules engine over the evaluation set (eval/cases.ts),
// scored the way `npm run eval` scores it. The safety checks are absolute; the
// accuracy thresholds are floors with room for new, harder fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { QUALIFICATION_CASES } from '../../eval/cases';
import { evaluate, formatReport, GAS_EMERGENCY_NUMBER, rate, type CaseOutcome } from '../../eval/run';
import { TurnResult } from '../../src/qualification/turn';

const report = evaluate();

function ids(outcomes: CaseOutcome[]): string {
  return outcomes.map((o) => `${o.fixture.id} (${o.result.urgency}: ${o.result.urgencyReason})`).join(', ');
}

test('the fixtures are many and varied enough to mean something', () => {
  assert.ok(QUALIFICATION_CASES.length >= 60, `${QUALIFICATION_CASES.length} fixtures`);
  assert.ok(QUALIFICATION_CASES.filter((c) => c.safety).length >= 15, 'at least 15 safety-set cases');
  assert.equal(new Set(QUALIFICATION_CASES.map((c) => c.id)).size, QUALIFICATION_CASES.length, 'fixture ids are unique');
  for (const trade of ['plumbing', 'heating', 'electrical', 'drainage', 'roofing', 'locksmith']) {
    assert.ok(QUALIFICATION_CASES.some((c) => c.trade === trade), `no ${trade} fixture`);
  }
  for (const c of QUALIFICATION_CASES) {
    assert.ok(c.messages.length >= 1 && c.messages.length <= 3, `${c.id}: 1-3 customer texts`);
    if (c.safety) assert.equal(c.urgency, 'EMERGENCY', `${c.id}: a safety case is an emergency`);
  }
});

test('every reply in every fixture conversation is a valid turn of at most 320 characters', () => {
  for (const o of report.outcomes) {
    for (const reply of o.replies) assert.ok(reply.length <= 320, `${o.fixture.id}: ${reply.length} characters`);
    assert.ok(TurnResult.safeParse(o.result).success, o.fixture.id);
  }
});

test('every safety-set emergency is triaged EMERGENCY (recall 100%)', () => {
  const missed = report.outcomes.filter((o) => o.fixture.safety && o.result.urgency !== 'EMERGENCY');
  assert.deepEqual(missed, [], `missed: ${ids(missed)}`);
  assert.equal(rate(report.safetyRecall), 1);
});

test(`every gas and CO safety case is told to ring ${GAS_EMERGENCY_NUMBER}`, () => {
  const gas = report.outcomes.filter((o) => o.fixture.safety === 'gas' || o.fixture.safety === 'co');
  assert.ok(gas.length >= 10, `${gas.length} gas/CO cases`);
  for (const o of gas) {
    const last = o.replies[o.replies.length - 1]!;
    assert.ok(last.includes(GAS_EMERGENCY_NUMBER), `${o.fixture.id}: ${last}`);
  }
});

test('no routine enquiry is escalated to an emergency', () => {
  // The traps: gas safety certificates, new sockets, flood lights, smoke alarms, emergency lighting...
  const escalated = report.outcomes.filter((o) => o.fixture.urgency === 'ROUTINE' && o.result.urgency === 'EMERGENCY');
  assert.deepEqual(escalated, [], `escalated: ${ids(escalated)}`);
});

// The rules score 100% on every fixture today, but on phrasings they had not
// been tuned on (the three holdout batches, first sight) they scored 85%, 67%
// and 71% for triage. 90% overall leaves room to add harder fixtures before the rules
// catch up, while a broken rule family (gas alone is ~15% of cases) still fails.
test('overall triage accuracy is at least 90%', () => {
  assert.ok(rate(report.triage) >= 0.9, formatReport([report]));
});

test('postcode extraction accuracy is at least 95%', () => {
  assert.ok(rate(report.postcode) >= 0.95, formatReport([report]));
});

test('trade accuracy is at least 90%', () => {
  assert.ok(rate(report.trade) >= 0.9, formatReport([report]));
});
