import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { happeningNow } from '../../src/qualification/happening-now';
import { toPlainEnglish } from '../../src/qualification/plain-english';

describe('toPlainEnglish', () => {
  const cases: Array<[string, string, string]> = [
    ['case, apostrophes and contractions', "The Boiler's DEAD and I'm freezing, we'll need someone", 'the boiler dead and i am freezing, we will need someone'],
    ['Scots forms', 'pure stink o gas oot on the landing the day', 'pure stink of gas out on the landing today'],
    ['"the day" only where it means today', 'the day before it was fine', 'the day before it was fine'],
    ['Northern forms', 'no burning smell or owt, nowt wrong', 'no burning smell or anything, nothing wrong'],
    ['text-speak', 'u free 2moro? water comin thru evry ceilin', 'you free tomorrow? water coming through every ceiling'],
    ['trade slang names the tradesperson, not the fault', 'need a sparky for an ev charger, leccy is fine', 'need a electrician for an ev charger, electricity is fine'],
    ['faults in slang', 'boiler has conked out and the shower is on the blink', 'boiler has stopped working and the shower is faulty'],
    ['a dropped e', 'pipe crackd in the loft', 'pipe cracked in the loft'],
    ['misspellings of hazard words, by edit distance to the lexicon', 'radiater snaped and smel of gass', 'radiator snapped and smell of gas'],
    ['long words allow two edits', 'elektricity off and monoxcide alarm', 'electricity off and monoxide alarm'],
    ['words run together', 'nohotwater since last nite', 'no hot water since last night'],
    ['Scots "an" before a consonant only', 'leak an water everywhere, an hour now', 'leak and water everywhere, an hour now'],
  ];
  for (const [what, text, plain] of cases) test(what, () => assert.equal(toPlainEnglish(text), plain));

  test('real English words are never "corrected" towards the lexicon', () => {
    // "later" is one edit from "water", "smoking" from "smoke"-words, "locker" from "locked".
    assert.equal(toPlainEnglish('later on, stop smoking, locker'), 'later on, stop smoking, locker');
  });
});

describe('happeningNow', () => {
  const now = (text: string) => happeningNow(toPlainEnglish(text)).replace(/\s+/g, ' ').trim();

  test('a denial blanks its own clause, not the next one', () => {
    assert.equal(now('no leaks but water is coming through the ceiling'), 'but water is coming through the ceiling');
  });
  test('a denial reaches along a list', () => {
    assert.doesNotMatch(now('no burning smell, no sparks or anything, just a dead socket'), /burning|sparks/);
  });
  test('loss of a supply is a report, not a denial', () => {
    assert.match(now('no hot water since yesterday'), /no hot water/);
    assert.match(now('there is no water coming from any of our taps'), /no water coming/);
  });
  test('a fault that is over goes, with the sentence that described it', () => {
    assert.equal(now('Lost power this morning. It came back on by itself'), '.');
  });
  test('a fault that is over comes back when the customer says it is back', () => {
    assert.match(now('Got a tingle off the pull cord last month, he found nothing. Just done it again'), /shock off the pull cord/);
  });
  test('long ago is history, last night is not', () => {
    assert.doesNotMatch(now('smelt gas last winter, had it checked'), /gas/);
    assert.match(now('smelt gas since last night'), /smelt gas/);
  });
  test('fears and enquiries are not reports', () => {
    assert.doesNotMatch(now('want the boiler serviced before it breaks down'), /breaks/);
    assert.equal(now('do you do emergency callouts?'), '?');
    assert.doesNotMatch(now('how much is an emergency callout'), /emergency/);
  });
  test('a question about the service keeps the report that follows it', () => {
    assert.match(now('Do you do emergency call outs? Water is dripping out of the extractor fan'), /water is dripping out of the extractor fan/);
  });
});
