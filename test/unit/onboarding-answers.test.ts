// Reading a tradesperson's sign-up answers (workflows/onboarding-answers.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_DISTRICTS, isDistrict, isExit, parseBusinessName, parseConfirm, parseServiceArea, parseTrade } from '../../workflows/onboarding-answers';
import { keyword } from '../../workflows/shared/keywords';

describe('service area', () => {
  test('comma-separated districts, any case, deduplicated, in order', () => {
    assert.deepEqual(parseServiceArea('SW1, SE15, CR0'), { ok: true, districts: ['SW1', 'SE15', 'CR0'] });
    assert.deepEqual(parseServiceArea('sw1,se15 , cr0, SW1'), { ok: true, districts: ['SW1', 'SE15', 'CR0'] });
  });

  test('spaces, "and", ampersands, semicolons and new lines separate districts too', () => {
    assert.deepEqual(parseServiceArea('SW1 SE15 and CR0'), { ok: true, districts: ['SW1', 'SE15', 'CR0'] });
    assert.deepEqual(parseServiceArea('E1; N1 & W1A\nEC1A.'), { ok: true, districts: ['E1', 'N1', 'W1A', 'EC1A'] });
  });

  test('a whole postcode counts as its district, with or without the space', () => {
    assert.deepEqual(parseServiceArea('SW1A 1AA, M1 1AE'), { ok: true, districts: ['SW1A', 'M1'] });
    assert.deepEqual(parseServiceArea('sw1a1aa'), { ok: true, districts: ['SW1A'] });
  });

  test('anything that is not a district is named back, not guessed at', () => {
    assert.deepEqual(parseServiceArea('London'), { ok: false, reason: 'invalid', invalid: ['London'], districts: [] });
    assert.deepEqual(parseServiceArea('SW1, everywhere, SE99X, 12'), { ok: false, reason: 'invalid', invalid: ['everywhere', 'SE99X', '12'], districts: ['SW1'] });
    // Letters no postcode area uses in that position (Q first, a second-position I, C after A9).
    assert.deepEqual(parseServiceArea('QA1, SI1, W1C2'), { ok: false, reason: 'invalid', invalid: ['QA1', 'SI1', 'W1C2'], districts: [] });
    assert.deepEqual(parseServiceArea('   '), { ok: false, reason: 'empty' });
    assert.deepEqual(parseServiceArea(', ,'), { ok: false, reason: 'empty' });
  });

  test('too many districts is refused', () => {
    const many = Array.from({ length: MAX_DISTRICTS + 1 }, (_, i) => `E${i + 1}`).join(', ');
    assert.deepEqual(parseServiceArea(many), { ok: false, reason: 'too-many' });
  });

  test('district shapes', () => {
    for (const ok of ['E1', 'N22', 'SW1', 'SE15', 'W1A', 'EC1A', 'CR0', 'BT9']) assert.ok(isDistrict(ok), ok);
    for (const bad of ['', 'SW', '1SW', 'SW123', 'SE15X', 'XY1', 'SW1 1AA']) assert.ok(!isDistrict(bad), bad);
  });
});

describe('trade', () => {
  test('the listed trades and common ways of saying them', () => {
    const cases: Array<[string, string]> = [
      ['plumbing', 'plumbing'],
      ['Plumber', 'plumbing'],
      ["I'm a plumber", 'plumbing'],
      ['Gas engineer', 'heating'],
      ['HEATING', 'heating'],
      ['electrician', 'electrical'],
      ['Sparky!', 'electrical'],
      ['drains', 'drainage'],
      ['roofer', 'roofing'],
      ['Locksmith.', 'locksmith'],
    ];
    for (const [said, trade] of cases) assert.equal(parseTrade(said), trade, said);
  });

  test('free text is kept as written; nothing usable is refused', () => {
    assert.equal(parseTrade('  Plumbing  and heating '), 'Plumbing and heating');
    assert.equal(parseTrade('Tree surgeon'), 'Tree surgeon');
    assert.equal(parseTrade(''), null);
    assert.equal(parseTrade('7'), null);
    assert.equal(parseTrade('x'.repeat(61)), null);
  });
});

describe('business name', () => {
  test('trimmed, quotes dropped, 2 to 80 characters with a letter', () => {
    assert.equal(parseBusinessName('  Ace   Plumbing Ltd '), 'Ace Plumbing Ltd');
    assert.equal(parseBusinessName('"Bob\'s Boilers"'), "Bob's Boilers");
    assert.equal(parseBusinessName('A'), null);
    assert.equal(parseBusinessName('12345'), null);
    assert.equal(parseBusinessName('x'.repeat(81)), null);
  });
});

describe('keywords', () => {
  test('EXIT in any case and with punctuation; nothing longer, and none of Twilio\'s opt-out words', () => {
    for (const c of ['EXIT', 'exit', ' Exit! ', 'exit.']) assert.ok(isExit(c), c);
    for (const c of ['exit please', 'exited', 'CANCEL', 'STOP', 'QUIT', 'END']) assert.ok(!isExit(c), c);
    assert.equal(keyword('  yes,   please! '), 'YES PLEASE');
  });

  test('the answer to the summary', () => {
    for (const y of ['YES', 'yes', 'Yes!', 'y', 'Yep', 'yes please', 'Confirm']) assert.equal(parseConfirm(y), 'yes', y);
    assert.equal(parseConfirm('name'), 'name');
    assert.equal(parseConfirm('Trade'), 'trade');
    assert.equal(parseConfirm('areas'), 'areas');
    assert.equal(parseConfirm('Restart'), 'restart');
    for (const o of ['no', 'yes but the name is wrong', 'maybe', '']) assert.equal(parseConfirm(o), 'other', o);
  });
});
