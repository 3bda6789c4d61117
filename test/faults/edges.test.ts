// Nothing lost at the edges: Twilio calls a webhook once (no retry after a
// 5xx, one retry when the connection is refused), so whatever JobRun could
// not take is recovered from Twilio's own log. The real processes, a
// Temporal of the test's own that it stops and starts, fakes at the wire.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FaultSystem, ownPostgres, ownTemporal, type OwnPostgres, type OwnTemporal } from '../support/faults';
import { poolNumber, uniqueMobile } from '../support/phones';
import { eventually, sleep } from '../support/poll';
import { createDb } from '../../src/db';
import { FOUNDER_PHONE, createClientFixture, resetDatabase, sid, type ClientFixture } from '../support/system';

/** Sweeps every 5 s: recovery is seconds behind, not a minute (the production default). */
const RECOVERY = { RECOVERY_INTERVAL: '5s' };

describe('edges: what Twilio never redelivers', { concurrency: 1 }, () => {
  let temporal: OwnTemporal;
  const stopped = new FaultSystem('edges-temporal');
  const apiDown = new FaultSystem('edges-api');

  before(async () => {
    temporal = await ownTemporal('edges');
    await stopped.start({ env: { ...RECOVERY, TEMPORAL_ADDRESS: temporal.address } });
    await resetDatabase(stopped.db);
    await apiDown.start({ env: RECOVERY });
  });
  after(async () => {
    await Promise.allSettled([stopped.stop(), apiDown.stop()]);
    await temporal.destroy();
  });

  test('Temporal stopped 60 s: five texts answered 5xx once and never redelivered are all answered, exactly once, after it returns', async () => {
    const client = await createClientFixture(stopped.db, { businessName: 'Outage Heating', ownerPhone: uniqueMobile() });
    await eventually('the first sweep has run', async () => (await stopped.db.recoveryCheckpoint.count()) === 2, 60_000);
    await temporal.stop();
    const down = Date.now();
    const texts: Array<Awaited<ReturnType<FaultSystem['textIn']>>> = [];
    for (let i = 0; i < 5; i++) {
      texts.push(await stopped.textIn({ from: uniqueMobile(), to: client.number, body: `Radiator ${i} is stone cold` }));
      await sleep(5000); // spread across the outage
    }
    assert.deepEqual(texts.map((t) => t.answered), [503, 503, 503, 503, 503], 'each webhook answered 5xx once; Twilio does not retry it');
    await sleep(Math.max(0, 60_000 - (Date.now() - down)));
    await temporal.start();
    const back = Date.now();

    await eventually('every text answered from Twilio\'s log', () => texts.every((t) => stopped.twilio.to(t.params.From).length > 0), 120_000);
    const answeredIn = Date.now() - back;
    for (const t of texts) assert.equal(await stopped.finished(t.params), 'forwarded');
    assert.deepEqual(texts.map((t) => stopped.twilio.to(t.params.From).length), [1, 1, 1, 1, 1], 'exactly once each');
    console.log(`  temporal back: all five texts answered ${(answeredIn / 1000).toFixed(1)} s later`);
  });

  test('the API killed for 30 s: texts and an unanswered call that reached only Twilio are handled once; a taken call whose callback was lost gets no text', async () => {
    const client = await createClientFixture(apiDown.db, { businessName: 'Crashed Api Electrics', ownerPhone: uniqueMobile() });
    // Taken before the crash: the tradesperson pressed 1; the call's status callbacks are lost with the API.
    const taken = apiDown.twilio.receiveCall({ from: uniqueMobile(), to: client.number, status: 'completed', duration: 120, dialled: { to: client.ownerPhone, status: 'completed', duration: 100 } });
    await apiDown.post(`/voice/screen/accept?parent=${taken.sid}`, { Digits: '1' });

    await apiDown.killApi();
    const texts: Array<Awaited<ReturnType<FaultSystem['textIn']>>> = [];
    for (let i = 0; i < 3; i++) texts.push(await apiDown.textIn({ from: uniqueMobile(), to: client.number, body: `Socket ${i} sparking when I plug in` }));
    assert.deepEqual(texts.map((t) => t.answered), ['unreachable', 'unreachable', 'unreachable'], 'Twilio tried, and its one retry, found nothing listening');
    const missed = apiDown.twilio.receiveCall({ from: uniqueMobile(), to: client.number, status: 'completed', duration: 20, dialled: { to: client.ownerPhone, status: 'no-answer', duration: 0 } });
    await sleep(30_000);
    await apiDown.startApiAgain();

    for (const t of texts) {
      await eventually(`${t.params.From} answered`, () => apiDown.twilio.to(t.params.From).length > 0, 60_000);
      assert.equal(await apiDown.finished(t.params), 'forwarded');
    }
    await eventually('the missed call texted back', () => apiDown.twilio.to(missed.from).length > 0, 60_000);
    assert.equal(await apiDown.callFinished(missed.sid), 'texted-back');
    assert.deepEqual([...texts.map((t) => apiDown.twilio.to(t.params.From).length), apiDown.twilio.to(missed.from).length], [1, 1, 1, 1], 'each once');
    await eventually('the taken call seen by a sweep', async () => (await apiDown.db.handledInbound.findUnique({ where: { sid: taken.sid } }))?.outcome === 'answered', 60_000);
    assert.equal(apiDown.twilio.to(taken.from).length, 0, 'the call the tradesperson took gets no text');
  });
});

describe('edges: failures that must not end in silence', { concurrency: 1 }, () => {
  let pg: OwnPostgres;
  let client: ClientFixture;
  const pgDown = new FaultSystem('edges-postgres');

  before(async () => {
    pg = await ownPostgres('edges');
    // A client from before the API starts: its pool snapshot knows the number.
    const db = createDb(pg.url);
    client = await createClientFixture(db, { businessName: 'Blackout Plumbing', ownerPhone: uniqueMobile() });
    await db.$disconnect();
    await pgDown.start({ env: { DATABASE_URL: pg.url } });
  });
  after(async () => {
    await pgDown.stop();
    await pg.destroy();
  });

  test('b. a missed call on a client\'s number while Postgres is down: the caller is texted within a minute, naming the business, and it is recorded once Postgres is back', async () => {
    const caller = uniqueMobile();
    const callSid = sid('CA');
    await pg.stop();
    let textedIn = 0;
    try {
      const rang = Date.now();
      const twiml = await (await pgDown.post('/voice', { CallSid: callSid, From: caller, To: client.number })).text();
      assert.match(twiml, /<Dial /, 'forwarded to the tradesperson, from what the API knows of the pool');
      assert.equal((await pgDown.post('/api/twilio/status', { CallSid: callSid, From: caller, To: client.number, DialCallStatus: 'no-answer', DialCallDuration: '0' })).status, 200);
      const text = await eventually('the text-back, with Postgres down', () => pgDown.twilio.to(caller)[0], 60_000);
      textedIn = Date.now() - rang;
      assert.match(text.body, /Blackout Plumbing/);
      assert.equal(text.from, client.number);
    } finally {
      await pg.start();
    }
    assert.equal(await pgDown.callFinished(callSid), 'texted-back');
    const ledger = await pgDown.db.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: `${callSid}:textback` } });
    assert.deepEqual([ledger.status, ledger.twilioSid], ['SENT', pgDown.twilio.to(caller)[0]!.sid]);
    assert.equal(await pgDown.db.conversation.count({ where: { clientId: client.clientId, customer: { phone: caller } } }), 1);
    assert.equal(pgDown.twilio.to(caller).length, 1);
    console.log(`  postgres down: the caller was texted back ${(textedIn / 1000).toFixed(1)} s after the call`);
  });

  test('c. an operator alert while Postgres is down is still sent (deduplication fails open), and recorded once Postgres is back', async () => {
    await pg.stop();
    const caller = uniqueMobile();
    const callSid = sid('CA');
    const unassigned = poolNumber();
    try {
      assert.equal((await pgDown.post('/api/twilio/status', { CallSid: callSid, From: caller, To: unassigned, CallStatus: 'no-answer', CallDuration: '0' })).status, 200);
      const alert = await eventually('the alert, with Postgres down', () => pgDown.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes(unassigned)), 60_000);
      assert.match(alert.body, /^JobRun ALERT CALL_TO_UNASSIGNED_NUMBER/);
      assert.equal(pgDown.twilio.to(caller).length, 1, 'and the caller has the fail-safe text');
    } finally {
      await pg.start();
    }
    assert.equal(await pgDown.callFinished(callSid), 'failsafe');
    const row = await pgDown.db.operatorAlert.findFirstOrThrow({ where: { kind: 'CALL_TO_UNASSIGNED_NUMBER', subject: unassigned } });
    assert.equal(row.outcome, 'sent');
    const sent = pgDown.twilio.to(FOUNDER_PHONE).filter((m) => m.body.includes(unassigned));
    assert.equal(sent.length, 1, 'sent once, though its activity ran again to record it');
    const ledger = await pgDown.db.outboundMessage.findFirstOrThrow({ where: { purpose: 'alert', body: { contains: unassigned } } });
    assert.deepEqual([ledger.status, ledger.twilioSid], ['SENT', sent[0]!.sid]);
  });
});

describe('edges: what a person must still hear of', { concurrency: 1 }, () => {
  const system = new FaultSystem('edges-people');
  let client: ClientFixture;
  before(async () => {
    await system.start({ env: { CONVERSATION_SETTLE_MS: '0' } });
    client = await createClientFixture(system.db, { businessName: 'People First Plumbing', ownerPhone: uniqueMobile() });
  });
  after(() => system.stop());

  const texts = (from: string) => system.twilio.to(from).map((m) => m.body);
  async function text(from: string, body: string, to = client.number) {
    const params = { MessageSid: sid(), From: from, To: to, Body: body };
    assert.equal((await system.post('/sms', params)).status, 200);
    return system.finished(params);
  }

  test('d. a customer who sent STOP texts again: nothing goes to them, the tradesperson is told their number and text; STOP itself is not forwarded', async () => {
    const from = uniqueMobile();
    assert.equal(await text(from, 'Hi, is this the plumber?'), 'forwarded');
    assert.equal(await text(from, 'STOP'), 'opted-out');
    const toTradesperson = () => system.twilio.to(client.ownerPhone).filter((m) => m.body.includes(from));
    assert.equal(toTradesperson().length, 0, 'STOP is not forwarded');
    assert.equal(await text(from, 'Actually the leak is back, can someone ring me'), 'opted-out');
    assert.equal(texts(from).length, 1, 'only the reply from before STOP');
    assert.equal(toTradesperson().length, 1);
    assert.match(toTradesperson()[0]!.body, /has opted out of texts from JobRun .* "Actually the leak is back, can someone ring me" Please ring them/);
  });

  test('e. a conversation past its caps: the tradesperson is told at the hand-over, with the number; a gas leak texted after is still escalated, with the safety advice', async () => {
    const from = uniqueMobile();
    for (let i = 1; i <= 61; i++) await text(from, `question ${i} about a new bathroom suite`);
    const handover = system.twilio.to(client.ownerPhone).filter((m) => m.body.includes(from));
    assert.equal(handover.length, 1);
    assert.match(handover[0]!.body, /passed 60 texts, so JobRun has stopped replying and handed it to you/);
    const before = texts(from).length;
    await text(from, 'I can smell gas in the kitchen now');
    assert.match(texts(from).slice(before).join('\n'), /0800 111 999/);
    const alert = system.twilio.to(client.ownerPhone).filter((m) => m.body.includes(from)).at(-1)!;
    assert.match(alert.body, /^JobRun EMERGENCY J\d+ for People First Plumbing/);
  });

  test('f. CANCEL, END, QUIT... are opt-outs: a sign-up ends without a reply, a customer is recorded as opted out, and a STOP to a number of no client gets no reply attempt', async () => {
    const onboardingNumber = poolNumber();
    await system.db.twilioNumberPool.create({ data: { phoneNumber: onboardingNumber, role: 'ONBOARDING' } });
    const tradesperson = uniqueMobile();
    assert.equal(await text(tradesperson, 'Hi, I want to sign up', onboardingNumber), 'onboarding');
    assert.match(texts(tradesperson)[0]!, /reply EXIT at any time/);
    assert.equal(await text(tradesperson, 'CANCEL', onboardingNumber), 'onboarding');
    assert.equal(texts(tradesperson).length, 1, 'no reply to CANCEL: Twilio blocks it');
    assert.equal((await system.db.onboardingState.findUniqueOrThrow({ where: { phone: tradesperson } })).step, 'CANCELLED');

    const customer = uniqueMobile();
    await text(customer, 'hello');
    assert.equal(await text(customer, 'Quit'), 'opted-out');
    assert.ok((await system.db.customer.findFirstOrThrow({ where: { clientId: client.clientId, phone: customer } })).optedOutAt);

    const stray = uniqueMobile();
    const attemptsBefore = system.twilio.createAttempts.filter((to) => to === stray).length;
    assert.equal(await text(stray, 'STOP', poolNumber()), 'system-number');
    assert.equal(system.twilio.createAttempts.filter((to) => to === stray).length, attemptsBefore, 'no reply attempted');
  });

  test('i. pausing a client reaches its conversation already running: the customer\'s next text gets the SystemGate deflection, not the AI', async () => {
    const paused = await createClientFixture(system.db, { businessName: 'Soon Paused Roofing', ownerPhone: uniqueMobile() });
    const from = uniqueMobile();
    assert.equal(await text(from, 'A slate came off the roof', paused.number), 'forwarded');
    await system.db.client.update({ where: { id: paused.clientId }, data: { outboundPaused: true } });
    assert.equal(await text(from, 'Are you still there?', paused.number), 'system-gate');
    assert.match(texts(from).at(-1)!, new RegExp(`^Thanks for your message! We're temporarily unable to respond by text\\. Please call \\${paused.ownerPhone}`));
    assert.equal(texts(from).length, 2);
  });

  test('l. the tradesperson\'s own phone texting their JobRun number is never qualified as a customer: what is not a command points to HELP', async () => {
    assert.equal(await text(client.ownerPhone, 'testing testing'), 'tradesperson');
    assert.equal(texts(client.ownerPhone).at(-1), "JobRun didn't recognise that. Text HELP for the commands.");
    assert.equal(await system.db.customer.count({ where: { clientId: client.clientId, phone: client.ownerPhone } }), 0);
  });
});
