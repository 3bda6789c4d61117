// The triage classifier under the rules (src/qualification/triage-classifier.ts):
// trained deterministically, committed up to date, and raising only what it
// reads as happening now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { READABLE_PARTS } from '../../eval/run';
import { trainTriageModel } from '../../eval/train-triage';
import { triage } from '../../src/qualification/rules';
import { train } from '../../src/qualification/text-classifier';
import { CLASSIFIER_FLOOR } from '../../src/qualification/triage-classifier';

test('training is deterministic, and the committed weights are what `npm run train:triage` writes', () => {
  const examples = [
    { text: 'gas smell in the kitchen', label: 'hazard' },
    { text: 'quote for a new boiler', label: 'routine' },
    { text: 'smell of gas by the meter', label: 'hazard' },
    { text: 'quote for a bathroom', label: 'routine' },
  ];
  assert.deepEqual(train(examples, ['routine', 'hazard']), train(examples, ['routine', 'hazard']));
  const committed = JSON.parse(readFileSync(join(__dirname, '../../src/qualification/triage-model.json'), 'utf8'));
  assert.deepEqual(trainTriageModel(READABLE_PARTS.flatMap((p) => p.cases)), committed, 'the cases changed: run `npm run train:triage`');
  assert.deepEqual(CLASSIFIER_FLOOR.model, committed);
});

// Phrasings in none of the evaluation's cases, which the rules do not recognise.
const RAISED: Array<[string, string]> = [
  ['the socket behind the telly went pop and now theres a black mark and a funny smell', 'switch'],
  ['the back wall of the garden is leaning right over the pavement and the kids walk past it', 'keep everyone well clear'],
  ['our toddler is on the other side of the bedroom door and it has jammed solid, hes sobbing', '999'],
];
for (const [text, advice] of RAISED) {
  test(`the classifier raises what the rules miss, with the hazard's advice: ${text}`, () => {
    const t = triage(text);
    assert.equal(t.urgency, 'EMERGENCY', JSON.stringify(t));
    assert.equal(t.raisedFrom?.urgency, 'ROUTINE');
    assert.match(t.safetyAdvice ?? '', new RegExp(advice, 'i'));
  });
}

const NEVER_RAISED = [
  // slang alone, and keywords too short to be a description
  'need a sparky to put in 2 sockets',
  'got any sparkies free next week for an EICR',
  'leccy bill has gone up, can you check the meter',
  'gas cooker fitting',
  'smoke alarm',
  'my son',
  'water',
  // denied, over, or asked about
  'no burning smell or sparks or anything, just want two more sockets in the kitchen please',
  'had a funny smell near the cooker last winter but the engineer fixed it, just want a service now',
  'had a gas leak last year, all fine since, need a safety certificate',
  'is it normal for the boiler to make a clicking noise when it fires up? just wondering',
];
for (const text of NEVER_RAISED) {
  test(`the classifier raises nothing on: ${text}`, () => {
    assert.equal(triage(text).urgency, 'ROUTINE', JSON.stringify(triage(text)));
  });
}
