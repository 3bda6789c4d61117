// The texts of SMS onboarding (workflows/onboarding-messages.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseServiceArea } from '../../workflows/onboarding-answers';
import * as text from '../../workflows/onboarding-messages';

describe('onboarding texts', () => {
  test('no text asks anyone to send one of Twilio\'s opt-out words (they block every later text)', () => {
    const texts = Object.values(text)
      .map((t) => (typeof t === 'string' ? t : ''))
      .concat(text.noNumberYet('Ace'), text.complete('Ace', '+447700900001'), text.summary({}));
    for (const t of texts) assert.doesNotMatch(t, /\b(STOP|STOPALL|UNSUBSCRIBE|CANCEL|END|QUIT|OPTOUT|REVOKE)\b/, t);
  });

  test('the welcome explains, offers EXIT and asks the first question only', () => {
    assert.match(text.WELCOME, /JobRun/);
    assert.match(text.WELCOME, /reply EXIT at any time/);
    assert.match(text.WELCOME, /name of your business\?$/);
    assert.equal((text.WELCOME.match(/\?/g) ?? []).length, 1, 'one question per text');
  });

  test('the trade question lists the trades and thanks by name when it has one', () => {
    assert.match(text.askTrade('Ace Plumbing'), /^Thanks, Ace Plumbing! What's your trade\?/);
    for (const t of ['plumbing', 'heating', 'electrical', 'drainage', 'roofing', 'locksmith']) assert.ok(text.askTrade().includes(t), t);
  });

  test('a bad service area names what could not be read and shows an example', () => {
    const bad = parseServiceArea('SW1, Londn');
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    const reply = text.badServiceArea(bad);
    assert.match(reply, /^Sorry, I couldn't read "Londn" as a postcode district\./);
    assert.match(reply, /SW1, SE15, CR0/);
    const many = text.badServiceArea({ ok: false, reason: 'invalid', invalid: ['a', 'b', 'c', 'd'], districts: ['SW1'] });
    assert.match(many, /"a", "b", "c" and others as postcode districts/);
    // Nothing readable at all: no list of every word back at them.
    assert.match(text.badServiceArea({ ok: false, reason: 'invalid', invalid: ['all', 'of', 'London'], districts: [] }), /^Sorry, I couldn't read that as postcode districts\. Please send/);
  });

  test('the summary shows every answer and how to confirm or change them', () => {
    const s = text.summary({ businessName: 'Ace Plumbing', trade: 'plumbing', serviceArea: ['SW1', 'SE15'] });
    assert.match(s, /Business: Ace Plumbing\nTrade: plumbing\nAreas: SW1, SE15/);
    assert.match(s, /Reply YES to confirm/);
    assert.match(s, /NAME, TRADE or AREAS/);
    assert.match(s, /RESTART/);
  });

  test('the final text gives the number and both UK divert codes in the format a phone dials', () => {
    const done = text.complete('Ace Plumbing', '+447700900123');
    assert.ok(done.includes('+447700900123'));
    assert.ok(done.includes('**61*07700900123#'), done);
    assert.ok(done.includes('**67*07700900123#'), done);
    assert.equal(text.dialFormat('+447700900123'), '07700900123');
    assert.equal(text.dialFormat('+353851234567'), '+353851234567');
    assert.match(text.numberReady('Ace Plumbing', '+447700900123'), /^Good news: you're all set, Ace Plumbing!/);
    assert.doesNotMatch(text.complete('Ace', null), /\*\*61/);
  });

  test('already a client: told so with the number, no question', () => {
    const t = text.alreadyClient('Ace Plumbing', '+447700900123');
    assert.match(t, /already set up with JobRun as Ace Plumbing/);
    assert.ok(t.includes('+447700900123'));
    assert.ok(!t.includes('?'));
  });

  test('reminders repeat the question that is waiting', () => {
    assert.match(text.reminder('ASK_TRADE', {}), /^Just a reminder.*What's your trade\?/);
    assert.match(text.reminder('CONFIRM', { businessName: 'Ace' }), /Business: Ace/);
  });
});
