import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { E164, isE164 } from '../../src/identifiers';
import { maskPhone } from '../../workflows/shared/phone-mask';

describe('E164', () => {
  test('accepts a UK mobile in E.164 form', () => {
    assert.equal(E164.safeParse('+447700900123').success, true);
    assert.equal(isE164('+447700900123'), true);
  });

  test('accepts the shortest and longest lengths E.164 allows here (8 and 15 digits)', () => {
    assert.equal(isE164('+12345678'), true);
    assert.equal(isE164('+123456789012345'), true);
    assert.equal(E164.safeParse('+123456789012345').success, true);
  });

  test('trims surrounding whitespace before checking', () => {
    assert.deepEqual(E164.safeParse('  +447700900123\n'), { success: true, data: '+447700900123' });
  });

  const rejected: Array<[string, string]> = [
    ['07700900123', 'national format without +'],
    ['447700900123', 'country code without +'],
    ['+44 7700 900123', 'spaces inside the number'],
    ['+44-7700-900123', 'dashes inside the number'],
    ['+01234567890', 'country code starting with 0'],
    ['+1234567', 'too short (7 digits)'],
    ['+1234567890123456', 'too long (16 digits)'],
    ['+', 'bare plus'],
    ['', 'empty'],
    ['+44770090012a', 'a letter'],
  ];
  for (const [value, why] of rejected) {
    test(`rejects ${JSON.stringify(value)} (${why})`, () => {
      assert.equal(isE164(value), false);
      const r = E164.safeParse(value);
      assert.equal(r.success, false);
    });
  }

  test('the rejection message shows an example number', () => {
    const r = E164.safeParse('07700900123');
    assert.equal(r.success, false);
    assert.match(r.error!.issues[0]!.message, /E\.164/);
  });
});

describe('maskPhone', () => {
  test('keeps only the last three digits', () => {
    const masked = maskPhone('+447700900123');
    assert.equal(masked, '**********123');
    assert.equal(masked.length, '+447700900123'.length);
    assert.equal(masked.replace(/\*/g, ''), '123');
  });

  test('never returns the full number or more than three of its digits', () => {
    for (const phone of ['+447700900123', '+12345678', '+123456789012345', '07700900123', '1234', '12']) {
      const masked = maskPhone(phone);
      assert.notEqual(masked, phone);
      assert.ok(!masked.includes(phone), `${masked} contains ${phone}`);
      assert.ok(masked.replace(/\D/g, '').length <= 3, `${masked} shows more than 3 digits`);
    }
  });

  test('hides very short values entirely', () => {
    assert.equal(maskPhone('123'), '***');
    assert.equal(maskPhone('1'), '***');
  });

  test('returns an empty string for missing values', () => {
    assert.equal(maskPhone(undefined), '');
    assert.equal(maskPhone(null), '');
    assert.equal(maskPhone(''), '');
  });
});
