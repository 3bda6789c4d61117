import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { extractJob, findPostcode, rulesTurn, triage } from '../../src/qualification/rules';
import { TurnResult } from '../../src/qualification/turn';
import type { BusinessContext, TranscriptLine } from '../../workflows/shared/turn';

const BUSINESS: BusinessContext = { businessName: 'Acme Plumbing', trade: 'plumbing', serviceArea: ['SW1', 'SE'] };
const ANYWHERE: BusinessContext = { businessName: 'Acme Plumbing', trade: 'plumbing', serviceArea: [] };
const INTRO = "Hi, this is Acme Plumbing's automated assistant.";

const inbound = (body: string): TranscriptLine => ({ direction: 'INBOUND', body });
const outbound = (body: string): TranscriptLine => ({ direction: 'OUTBOUND', body });

/** Runs rulesTurn and checks the invariants every reply must keep. */
function turn(transcript: TranscriptLine[], business: BusinessContext = BUSINESS): TurnResult {
  const result = rulesTurn(transcript, business);
  assert.ok(result.reply.length <= 320, `reply is ${result.reply.length} characters: ${result.reply}`);
  const parsed = TurnResult.safeParse(result);
  assert.ok(parsed.success, `TurnResult rejects ${JSON.stringify(result)}: ${parsed.error?.message}`);
  return result;
}

/** Plays a conversation: each customer message gets rulesTurn's reply appended. */
function converse(messages: string[], business: BusinessContext = BUSINESS): { transcript: TranscriptLine[]; results: TurnResult[] } {
  const transcript: TranscriptLine[] = [];
  const results: TurnResult[] = [];
  for (const message of messages) {
    transcript.push(inbound(message));
    const result = turn(transcript, business);
    results.push(result);
    transcript.push(outbound(result.reply));
  }
  return { transcript, results };
}

describe('triage', () => {
  const cases: Array<[string, 'EMERGENCY' | 'URGENT' | 'ROUTINE', string]> = [
    ['I can smell gas in the kitchen', 'EMERGENCY', 'gas smell'],
    ['There is a gas leak by the meter', 'EMERGENCY', 'gas smell'],
    ['My CO alarm is going off', 'EMERGENCY', 'carbon monoxide alarm'],
    ['the carbon monoxide detector keeps beeping', 'EMERGENCY', 'carbon monoxide alarm'],
    ["There's a burning smell coming from a socket", 'EMERGENCY', 'burning or sparking electrics'],
    ['The plug socket is sparking', 'EMERGENCY', 'burning or sparking electrics'],
    ['Water is dripping onto the light fitting in the hallway', 'EMERGENCY', 'water near electrics'],
    ['A pipe has burst under the stairs', 'EMERGENCY', 'escaping water'],
    ["I'm locked out of my flat", 'EMERGENCY', 'locked out or insecure property'],
    ['No hot water since this morning', 'URGENT', 'no heating or hot water'],
    ['We have no heating at all', 'URGENT', 'no heating or hot water'],
    ['The boiler has stopped', 'URGENT', 'no heating or hot water'],
    // The rules treat any leak or drip as an active leak: urgent, not an emergency.
    ['My kitchen tap is dripping', 'URGENT', 'active leak'],
    ['The radiator valve is leaking a bit', 'URGENT', 'active leak'],
    ['We have a blocked toilet', 'URGENT', 'blocked drain or toilet'],
    ['The outside drain is blocked again', 'URGENT', 'blocked drain or toilet'],
    ['Can I get a quote for a new bathroom next month?', 'ROUTINE', 'no urgency signals'],
    ['Could you fit a new outside tap sometime?', 'ROUTINE', 'no urgency signals'],
  ];
  for (const [text, urgency, reason] of cases) {
    test(`${JSON.stringify(text)} is ${urgency} (${reason})`, () => {
      const t = triage(text);
      assert.equal(t.urgency, urgency);
      assert.equal(t.reason, reason);
    });
  }

  test('gas and CO emergencies carry the National Gas Emergency number', () => {
    assert.match(triage('I can smell gas').safetyAdvice ?? '', /0800 111 999/);
    assert.match(triage('CO alarm going off').safetyAdvice ?? '', /0800 111 999/);
  });

  test('electrical emergencies advise switching off at the consumer unit', () => {
    assert.match(triage('burning smell from the fuse box').safetyAdvice ?? '', /consumer unit/);
  });

  test('urgent and routine triage give no safety advice', () => {
    assert.equal(triage('No hot water').safetyAdvice, undefined);
    assert.equal(triage('quote for a new bathroom next month').safetyAdvice, undefined);
  });

  test('an emergency outranks an urgent signal in the same message', () => {
    assert.equal(triage('No hot water and I can smell gas').urgency, 'EMERGENCY');
  });
});

describe('findPostcode', () => {
  test('normalises case and spacing', () => {
    assert.equal(findPostcode('sw1a1aa'), 'SW1A 1AA');
    assert.equal(findPostcode('SW1A 1AA'), 'SW1A 1AA');
    assert.equal(findPostcode('se15   4qt'), 'SE15 4QT');
  });

  test('finds a postcode inside a sentence', () => {
    assert.equal(findPostcode("We're at 12 High Street, London SE1 7PB, ring the bell"), 'SE1 7PB');
    assert.equal(findPostcode('postcode is m1 1ae thanks'), 'M1 1AE');
  });

  test('returns null when there is no postcode', () => {
    assert.equal(findPostcode('My boiler has stopped working'), null);
    assert.equal(findPostcode('Tomorrow at 10am please'), null);
    assert.equal(findPostcode(''), null);
  });
});

describe('extractJob', () => {
  test('fills every slot from a short conversation that answers our questions', () => {
    const job = extractJob([
      inbound('Hi, my kitchen tap is dripping constantly'),
      outbound("Hi, this is Acme Plumbing's automated assistant. Sorry to hear that. We'll treat this as urgent. What's the postcode of the property?"),
      inbound('se15 4qt'),
      outbound("Sorry to hear that. We'll treat this as urgent. And what name should we use for you?"),
      inbound('Sarah Jones'),
      outbound("Sorry to hear that. We'll treat this as urgent. When would suit you for someone to come out?"),
      inbound('Tomorrow morning after 9'),
    ]);
    assert.equal(job.description, 'Hi, my kitchen tap is dripping constantly');
    assert.equal(job.postcode, 'SE15 4QT');
    assert.equal(job.customerName, 'Sarah Jones');
    assert.equal(job.preferredTime, 'Tomorrow morning after 9');
    assert.equal(job.tradeCategory, 'plumbing');
    assert.equal(job.address, null);
    assert.equal(job.accessNotes, null);
  });

  test('picks a name and a time out of free text', () => {
    const job = extractJob([inbound('The boiler is making a banging noise'), inbound("My name is Dave, Friday would be fine")]);
    assert.equal(job.description, 'The boiler is making a banging noise');
    assert.equal(job.customerName, 'Dave');
    assert.equal(job.preferredTime, 'Friday');
    assert.equal(job.tradeCategory, 'heating');
  });

  test('a bare postcode is not taken as the description', () => {
    const job = extractJob([inbound('SW1A 1AA'), inbound('Toilet keeps running')]);
    assert.equal(job.postcode, 'SW1A 1AA');
    assert.equal(job.description, 'Toilet keeps running');
  });

  test('the first postcode given wins', () => {
    const job = extractJob([inbound('Leak at SE1 7PB'), inbound('sorry, meant SE1 7PA')]);
    assert.equal(job.postcode, 'SE1 7PB');
  });

  test('an empty transcript gives an empty job', () => {
    const job = extractJob([]);
    assert.deepEqual(job, { tradeCategory: null, description: null, postcode: null, address: null, customerName: null, preferredTime: null, accessNotes: null });
  });
});

describe('rulesTurn', () => {
  test('a gas smell is an emergency with the gas emergency number in the reply', () => {
    const r = turn([inbound('I can smell gas in the kitchen')]);
    assert.equal(r.urgency, 'EMERGENCY');
    assert.equal(r.urgencyReason, 'gas smell');
    assert.ok(r.reply.includes('0800 111 999'), r.reply);
    assert.ok(r.reply.includes("We've alerted Acme Plumbing"), r.reply);
    // Only the postcode is asked for before the tradesperson is told.
    assert.match(r.reply, /postcode/);
    assert.equal(r.complete, false);
  });

  test('an emergency with a postcode is complete at once', () => {
    const r = turn([inbound('I can smell gas, SE15 4QT')]);
    assert.equal(r.urgency, 'EMERGENCY');
    assert.equal(r.complete, true);
    assert.ok(r.reply.includes('0800 111 999'), r.reply);
    assert.doesNotMatch(r.reply, /\?$/);
  });

  test('the CO alarm reply carries the gas emergency number', () => {
    const r = turn([inbound('Our CO alarm is beeping')]);
    assert.equal(r.urgency, 'EMERGENCY');
    assert.ok(r.reply.includes('0800 111 999'), r.reply);
  });

  test('the first reply introduces the automated assistant; later replies do not', () => {
    const { results } = converse(['My kitchen tap is dripping', 'SE15 4QT', 'Sarah Jones', 'Tomorrow morning']);
    assert.ok(results[0]!.reply.startsWith(INTRO), results[0]!.reply);
    for (const r of results.slice(1)) {
      assert.ok(!r.reply.includes('automated assistant'), r.reply);
    }
  });

  test('a conversation asks for each missing slot in turn and then completes', () => {
    const { results } = converse(['My kitchen tap is dripping', 'SE15 4QT', 'Sarah Jones', 'Tomorrow morning']);
    assert.deepEqual(
      results.map((r) => r.complete),
      [false, false, false, true],
    );
    assert.match(results[0]!.reply, /postcode/);
    assert.match(results[1]!.reply, /name/);
    assert.match(results[2]!.reply, /When would suit you/);
    assert.match(results[3]!.reply, /Thanks Sarah Jones/);
    assert.ok(results.every((r) => r.urgency === 'URGENT'));
    assert.deepEqual(results[3]!.job, {
      tradeCategory: 'plumbing',
      description: 'My kitchen tap is dripping',
      postcode: 'SE15 4QT',
      address: null,
      customerName: 'Sarah Jones',
      preferredTime: 'Tomorrow morning',
      accessNotes: null,
    });
  });

  test('an opening with no description asks what the problem is', () => {
    const r = turn([inbound('Hi')], ANYWHERE);
    assert.equal(r.complete, false);
    assert.ok(r.reply.startsWith(INTRO), r.reply);
    assert.ok(r.reply.includes('What is the problem you need help with?'), r.reply);
  });

  test('a routine enquiry is not called urgent', () => {
    const r = turn([inbound('Quote for a new bathroom next month please')]);
    assert.equal(r.urgency, 'ROUTINE');
    assert.doesNotMatch(r.reply, /urgent/i);
    assert.equal(r.complete, false);
  });

  test('a postcode outside the service area is declined politely and the conversation is complete', () => {
    const r = turn([inbound('My boiler has broken down, I am at M1 1AE')]);
    assert.equal(r.complete, true);
    assert.equal(r.job.postcode, 'M1 1AE');
    assert.ok(r.reply.startsWith(INTRO), r.reply);
    assert.match(r.reply, /^.*Sorry, M1 1AE is outside the area Acme Plumbing covers/);
    assert.doesNotMatch(r.reply, /\?/);
  });

  test('a later reply declining an out-of-area postcode has no intro', () => {
    const r = turn([inbound('Leaking pipe under the sink'), outbound("What's the postcode of the property?"), inbound('N1 9GU')]);
    assert.equal(r.complete, true);
    assert.ok(r.reply.startsWith('Sorry, N1 9GU is outside the area'), r.reply);
  });

  test('a letters-only service area covers every district in that area', () => {
    for (const postcode of ['SE1 7PB', 'SE15 4QT', 'SE10 9NN']) {
      const r = turn([inbound(`Leaking pipe at ${postcode}`)]);
      assert.equal(r.job.postcode, postcode);
      assert.ok(!r.reply.includes('outside the area'), r.reply);
      assert.equal(r.complete, false);
    }
  });

  test('a letters-only service area does not cover a different area sharing its first letter', () => {
    const r = turn([inbound('Leaking pipe at SW11 1AA')], { ...BUSINESS, serviceArea: ['SE'] });
    assert.ok(r.reply.includes('outside the area'), r.reply);
  });

  test('an empty service area covers everywhere', () => {
    const r = turn([inbound('Leaking pipe at M1 1AE')], ANYWHERE);
    assert.ok(!r.reply.includes('outside the area'), r.reply);
  });

  test('a very long business name still gives a reply of at most 320 characters', () => {
    const business = { ...BUSINESS, businessName: `Acme ${'Very Long Name '.repeat(30)}Ltd` };
    for (const message of ['I can smell gas', 'My boiler has broken down, I am at M1 1AE', 'Hi']) {
      const r = turn([inbound(message)], business);
      assert.equal(r.reply.length, 320);
      assert.ok(r.reply.endsWith('...'), r.reply);
    }
  });

  test('every reply across varied conversations parses with TurnResult and fits in 320 characters', () => {
    const conversations = [
      ['I can smell gas in the kitchen', 'SW1A 1AA'],
      ['My CO alarm is going off', 'SE1 7PB'],
      ["There's a burning smell coming from a socket", 'se15 4qt', 'Priya'],
      ['Water is dripping onto the light fitting in the hallway'],
      ['No hot water since this morning', 'SE10 9NN', 'My name is Tom Baker', 'any time Monday'],
      ['quote for a new bathroom next month', 'SE1 7PB', 'Jo', 'Next week'],
      ['hello', 'the toilet is blocked', 'SE1 7PB', 'Sam', 'Saturday morning'],
    ];
    for (const messages of conversations) {
      // converse() asserts the length and the schema for every reply.
      const { results } = converse(messages);
      assert.equal(results.length, messages.length);
    }
  });
});

describe('regressions found in review', () => {
  test('an ordinary sentence starting "I\'m" is not taken for a name', () => {
    assert.equal(extractJob([inbound("I'm having trouble with my boiler")]).customerName, null);
    assert.equal(extractJob([inbound("It's leaking under the sink")]).customerName, null);
    assert.equal(extractJob([inbound("Hi, I'm Dave and my boiler is broken")]).customerName, 'Dave');
  });

  test('a service area district such as SW1 covers its lettered sub-districts', () => {
    const result = turn([inbound('Boiler broken, postcode SW1A 1AA')]);
    assert.doesNotMatch(result.reply, /outside the area/);
    assert.match(turn([inbound('Boiler broken, postcode SW19 1AA')]).reply, /outside the area/, 'SW19 is not SW1');
  });

  test('a blocked sink is urgent, and water through a ceiling light an emergency', () => {
    assert.equal(triage('The kitchen sink is blocked').urgency, 'URGENT');
    assert.equal(triage('Water is dripping through the ceiling light').urgency, 'EMERGENCY');
    assert.equal(triage('Can an electrician quote for rewiring the loft?').urgency, 'ROUTINE');
  });
});
