// The rules engine as the floor under the model (activities/qualify.ts): a
// hazard the rules or the classifier read as happening now overrides the
// model; the classifier's other guesses never do.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { withSafetyFloor } from '../../activities/qualify';
import { EMPTY_JOB } from '../../src/qualification/turn';
import type { BusinessContext, TurnResult } from '../../workflows/shared/turn';

const business: BusinessContext = { businessName: 'Acme Plumbing & Heating', trade: null, serviceArea: [] };
const model: TurnResult = {
  reply: 'Thanks, what is the postcode?',
  urgency: 'ROUTINE',
  urgencyReason: 'the model',
  job: { ...EMPTY_JOB, description: 'from the model', postcode: 'LS6 2AB' },
  complete: false,
};
const floor = (text: string, ai: TurnResult = model) => withSafetyFloor(ai, [{ direction: 'INBOUND', body: text }], business);

test("a rules emergency overrides the model's routine, with the rules' advice and the model's job", () => {
  const result = floor('i can smell gas in the kitchen its really strong');
  assert.equal(result.urgency, 'EMERGENCY');
  assert.match(result.reply, /0800 111 999/);
  assert.equal(result.job.description, 'from the model');
});

test('a hazard only the classifier reads overrides the model too', () => {
  const result = floor('the socket behind the telly went pop and now theres a black mark and a funny smell');
  assert.equal(result.urgency, 'EMERGENCY');
  assert.match(result.reply, /switch it off/);
});

test("the classifier's guess without a hazard leaves the model's answer alone", () => {
  assert.deepEqual(floor('the lights keep flickering in the kitchen every evening for the last couple of days'), model);
});

test('a denied or past hazard leaves the model alone', () => {
  assert.deepEqual(floor('had a funny smell near the cooker last winter but the engineer fixed it, just want a service now'), model);
  assert.deepEqual(floor('no burning smell or sparks or anything, just want two more sockets in the kitchen please'), model);
});

test("the model's own emergency stands", () => {
  const ai: TurnResult = { ...model, urgency: 'EMERGENCY', urgencyReason: 'the model saw it' };
  assert.deepEqual(floor('quote for a new kitchen tap please', ai), ai);
});
