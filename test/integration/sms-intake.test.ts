// POST /sms end to end: the real API and worker, real Postgres and Temporal,
// Twilio faked at its REST wire.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ActivityDeps } from '../../activities/deps';
import { createRecordInbound, type RecordInboundResult } from '../../activities/record-inbound';
import { createLogger } from '../../src/logger';
import { poolNumber, uniqueMobile as customerPhone } from '../support/phones';
import { eventually } from '../support/poll';
import { FOUNDER_PHONE, SYSTEM_SMS_NUMBER, TestSystem, createClientFixture, resetDatabase, sid, type ClientFixture } from '../support/system';

describe('POST /sms', () => {
  const system = new TestSystem('sms-intake');
  let client: ClientFixture;

  before(async () => {
    await system.start();
    await resetDatabase(system.db);
  });
  after(() => system.stop());
  beforeEach(async () => {
    client = await createClientFixture(system.db);
  });

  const sms = (from: string, body: string, to = client.number, messageSid = sid()) => ({ MessageSid: messageSid, From: from, To: to, Body: body, AccountSid: 'AC00000000000000000000000000000000' });

  test('a message is acknowledged with empty TwiML, stored, and answered once from the client number', async () => {
    const from = customerPhone();
    const params = sms(from, 'Hi, my kitchen tap is dripping');
    const res = await system.post('/sms', params);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/xml/);
    assert.match(await res.text(), /<Response\/>/);
    assert.equal(await system.finished(params), 'forwarded');
    const replies = system.twilio.to(from);
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!.from, client.number);
    assert.match(replies[0]!.body, /Ace Plumbing's automated assistant/);
    const rows = await system.db.message.findMany({ where: { conversation: { clientId: client.clientId } }, orderBy: { createdAt: 'asc' } });
    assert.deepEqual(rows.map((r) => r.direction), ['INBOUND', 'OUTBOUND']);
    assert.equal(rows[1]!.twilioSid, replies[0]!.sid);
  });

  test('first texts from a new customer arriving together are all stored at the first attempt, as one customer and one conversation', async () => {
    // A lost race used to wait out an activity retry (1 s), long enough for a later text to be answered first.
    const recordInbound = createRecordInbound({ db: system.db, logger: createLogger('intake-test', 'silent') } as unknown as ActivityDeps);
    const env = new MockActivityEnvironment();
    const from = customerPhone();
    const receivedAt = new Date().toISOString();
    const results = (await Promise.all(
      [1, 2, 3, 4, 5].map((i) => env.run(recordInbound, { messageSid: sid(), clientId: client.clientId, from, to: client.number, body: `text ${i}`, receivedAt })),
    )) as RecordInboundResult[];
    assert.equal(new Set(results.map((r) => r.customerId)).size, 1);
    assert.equal(new Set(results.map((r) => r.conversationId)).size, 1);
    assert.equal(await system.db.customer.count({ where: { clientId: client.clientId, phone: from } }), 1);
    assert.equal(await system.db.message.count({ where: { conversationId: results[0]!.conversationId } }), 5);
  });

  test('a duplicate MessageSid gives one Message row and one reply', async () => {
    const from = customerPhone();
    const params = sms(from, 'My toilet is blocked, can someone come out?');
    const answers = await Promise.all([system.post('/sms', params), system.post('/sms', params), system.post('/sms', params)]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    await eventually('reply sent', async () => (system.twilio.to(from).length ? true : undefined));
    assert.equal(await system.finished(params), 'forwarded');
    const again = await system.post('/sms', params);
    assert.equal(again.status, 200);
    assert.equal(await system.db.message.count({ where: { twilioSid: params.MessageSid } }), 1);
    assert.equal(system.twilio.to(from).length, 1, 'exactly one reply');
  });

  test('a forged signature gets 403 and writes nothing', async () => {
    const from = customerPhone();
    const params = sms(from, 'Hello');
    const forged = await system.post('/sms', params, 'forged');
    assert.equal(forged.status, 403);
    const unsigned = await system.post('/sms', params, 'none');
    assert.equal(unsigned.status, 403);
    assert.equal(await system.db.customer.count({ where: { phone: from } }), 0);
    assert.equal(await system.db.message.count({ where: { twilioSid: params.MessageSid } }), 0);
    assert.equal(await system.started(params.MessageSid), false);
    assert.equal(system.twilio.to(from).length, 0);
  });

  test('malformed payloads get 400 with a clear message and write nothing', async () => {
    const from = customerPhone();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ From: from, To: client.number, Body: 'x' }, /MessageSid/],
      [{ MessageSid: sid(), To: client.number, Body: 'x' }, /From/],
      [{ MessageSid: sid(), From: from, Body: 'x' }, /To/],
      [{ MessageSid: sid(), From: '07911 123456', To: client.number, Body: 'x' }, /From: must be an E\.164/],
      [{ MessageSid: 'not-a-sid', From: from, To: client.number, Body: 'x' }, /MessageSid/],
    ];
    for (const [params, message] of cases) {
      const res = await system.post('/sms', params);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.match(await res.text(), message);
      if (params.MessageSid) assert.equal(await system.started(params.MessageSid), false, 'no workflow for a refused webhook');
    }
    assert.equal(await system.db.customer.count({ where: { phone: from } }), 0);
    assert.equal(system.twilio.to(from).length, 0);
  });

  test('SystemGate: a paused client\'s customer is told to call the business, and gets no AI conversation', async () => {
    const paused = await createClientFixture(system.db, { outboundPaused: true, ownerPhone: '+447700900155', businessName: 'Paused Heating' });
    const from = customerPhone();
    const params = sms(from, 'Boiler broken', paused.number);
    const res = await system.post('/sms', params);
    assert.equal(res.status, 200);
    assert.equal(await system.finished(params), 'system-gate');
    const replies = system.twilio.to(from);
    assert.match(replies[0]!.body, /^Thanks for your message! We're temporarily unable/);
    assert.match(replies[0]!.body, /\+447700900155/);
    assert.equal(system.twilio.to(from).length, 1);
    assert.equal(system.twilio.to(paused.ownerPhone).length, 0, 'the paused tradesperson is not escalated to');
    assert.equal(await system.db.message.count({ where: { conversation: { clientId: paused.clientId }, direction: 'INBOUND' } }), 1);
  });

  test('invariant: an ONBOARDING conversation on an operational number gets the technical-issue reply and alerts the operator', async () => {
    const from = customerPhone();
    const customer = await system.db.customer.create({ data: { clientId: client.clientId, phone: from } });
    await system.db.conversation.create({ data: { clientId: client.clientId, customerId: customer.id, mode: 'ONBOARDING' } });
    const res = await system.post('/sms', sms(from, 'Is anyone there?'));
    assert.equal(res.status, 200);
    const replies = await eventually('invariant reply', async () => (system.twilio.to(from).length ? system.twilio.to(from) : undefined));
    assert.match(replies[0]!.body, /^We're experiencing a technical issue/);
    const alert = await eventually('operator alerted', async () =>
      system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('INVARIANT_VIOLATION')),
    );
    assert.equal(alert.from, SYSTEM_SMS_NUMBER);
    assert.equal(await system.db.operatorAlert.count({ where: { kind: 'INVARIANT_VIOLATION', subject: client.clientId } }), 1);
  });

  test('an urgent job alerts the tradesperson at once with the customer\'s details', async () => {
    const urgent = await createClientFixture(system.db, { ownerPhone: '+447700900177', businessName: 'Rapid Gas' });
    const from = customerPhone();
    const params = sms(from, 'I can smell gas in the kitchen, postcode SW1A 1AA', urgent.number);
    await system.post('/sms', params);
    const alert = await eventually('tradesperson alerted', async () => system.twilio.to(urgent.ownerPhone)[0]);
    assert.match(alert.body, /EMERGENCY/);
    assert.match(alert.body, /SW1A 1AA/);
    assert.ok(alert.body.includes(from), 'the customer number is in the alert');
    assert.equal(alert.from, urgent.number);
    const reply = await eventually('customer advised', async () => system.twilio.to(from)[0]);
    assert.match(reply.body, /0800 111 999/);
    // The alert opens the job; the end of the turn saves what it found, so read it once the turn is over.
    assert.equal(await system.finished(params), 'forwarded');
    const job = await system.db.job.findFirstOrThrow({ where: { clientId: urgent.clientId } });
    assert.equal(job.urgency, 'EMERGENCY');
    assert.equal(job.status, 'ESCALATED');
  });

  test('the tradesperson, from their own phone: J1 takes the job the alert named, PAUSE and RESUME flip the switch, J1 DONE closes it', async () => {
    const own = await createClientFixture(system.db, { ownerPhone: customerPhone(), businessName: 'Takes Jobs' });
    const from = customerPhone();
    await system.post('/sms', sms(from, 'water pouring through the kitchen ceiling light, SE1 7PB', own.number));
    const alert = await eventually('tradesperson alerted', async () => system.twilio.to(own.ownerPhone)[0]);
    assert.match(alert.body, /^JobRun EMERGENCY J1 for Takes Jobs/);

    const fromOwner = async (body: string) => {
      const before = system.twilio.to(own.ownerPhone).length;
      const params = sms(own.ownerPhone, body, own.number);
      assert.equal((await system.post('/sms', params)).status, 200);
      assert.equal(await system.finished(params), 'tradesperson');
      return system.twilio.to(own.ownerPhone).slice(before).map((m) => m.body);
    };
    assert.deepEqual(await fromOwner('j1'), [`J1 is yours. The customer is on ${from}.`]);
    const taken = await system.db.job.findFirstOrThrow({ where: { clientId: own.clientId } });
    assert.equal(taken.progress, 'TAKEN');
    assert.equal(taken.takenBy, own.ownerPhone);
    assert.ok(taken.takenAt);
    assert.deepEqual(await fromOwner('J1'), [`J1 was already taken. The customer is on ${from}.`]);

    assert.match((await fromOwner('PAUSE'))[0]!, /^JobRun is paused/);
    assert.equal((await system.db.client.findUniqueOrThrow({ where: { id: own.clientId } })).outboundPaused, true);
    assert.deepEqual(await fromOwner('resume'), ['JobRun is back on: it answers your customers again.']);
    assert.equal((await system.db.client.findUniqueOrThrow({ where: { id: own.clientId } })).outboundPaused, false);

    assert.deepEqual(await fromOwner('J1 done'), ['J1 is closed.']);
    assert.equal((await system.db.job.findUniqueOrThrow({ where: { id: taken.id } })).progress, 'DONE');
    assert.deepEqual(await fromOwner('J2'), ['There is no job J2. Text HELP for the commands.']);
    assert.equal(await system.db.customer.count({ where: { clientId: own.clientId, phone: own.ownerPhone } }), 0, 'never a customer');
  });

  test('J1 <text> from the tradesperson reaches the customer from the JobRun number and takes the conversation over; J1 BOT hands it back', async () => {
    const own = await createClientFixture(system.db, { ownerPhone: customerPhone(), businessName: 'Talks Direct' });
    const from = customerPhone();
    const customerSays = async (body: string) => {
      const t = sms(from, body, own.number);
      await system.post('/sms', t);
      await system.finished(t);
    };
    const ownerSays = async (body: string) => {
      const t = sms(own.ownerPhone, body, own.number);
      await system.post('/sms', t);
      assert.equal(await system.finished(t), 'tradesperson');
    };
    await customerSays('my boiler has stopped, no heating, SE1 7PB');
    await eventually('tradesperson alerted', async () => system.twilio.to(own.ownerPhone)[0]);
    await ownerSays('J1 Hi, Sam here, I can be there by 4');
    const relayed = await eventually('relayed', async () => system.twilio.to(from)[1]);
    assert.equal(relayed.body, 'Hi, Sam here, I can be there by 4');
    assert.equal(relayed.from, own.number);
    await eventually('confirmed', async () => system.twilio.to(own.ownerPhone).some((m) => m.body.startsWith(`Sent to ${from}.`)) || undefined);
    assert.equal((await system.db.job.findFirstOrThrow({ where: { clientId: own.clientId } })).progress, 'TAKEN_OVER');

    await customerSays('brilliant, thank you');
    assert.equal(system.twilio.to(from).length, 2, 'JobRun did not answer it');
    await eventually('passed on', async () => system.twilio.to(own.ownerPhone).some((m) => m.body === `J1 ${from}: "brilliant, thank you"`) || undefined);

    await ownerSays('J1 BOT');
    await eventually('handed back', async () => system.twilio.to(own.ownerPhone).some((m) => m.body === `JobRun is answering J1's customer (${from}) again.`) || undefined);
    assert.equal((await system.db.job.findFirstOrThrow({ where: { clientId: own.clientId } })).progress, 'TAKEN');
    await customerSays('sorry, what was your name again?');
    assert.equal(system.twilio.to(from).length, 3, 'JobRun answers again');
  });

  test('a customer who asks to be rung is handed over: told a person will be in touch, the tradesperson gets the reference and number, JobRun stops replying', async () => {
    const own = await createClientFixture(system.db, { ownerPhone: customerPhone(), businessName: 'Rings Back' });
    const from = customerPhone();
    const texts = ['the outside tap is loose', 'can someone ring me please', 'thanks'].map((body) => sms(from, body, own.number));
    for (const t of texts) {
      await system.post('/sms', t);
      await system.finished(t);
    }
    const notice = await eventually('tradesperson told', async () => system.twilio.to(own.ownerPhone)[0]);
    assert.equal(notice.body, `JobRun J1: the customer on ${from} asked to speak to a person, so JobRun has stopped replying. "the outside tap is loose" Please ring or text them.`);
    const replies = system.twilio.to(from).map((m) => m.body);
    assert.equal(replies.length, 2, JSON.stringify(replies));
    assert.equal(replies[1], "Of course. I've asked Rings Back to get in touch with you themselves; they have your number.");
  });

  test('a status callback saying the tradesperson\'s alert was undelivered updates the ledger and alerts the operator', async () => {
    const c = await createClientFixture(system.db, { ownerPhone: '+447700900188', businessName: 'Leak Fixers' });
    const from = customerPhone();
    await system.post('/sms', sms(from, 'Burst pipe, water pouring through the ceiling at E1 6AN', c.number));
    const escalation = await eventually('tradesperson alerted', async () => system.twilio.to(c.ownerPhone)[0]);
    assert.equal(escalation.statusCallback, `${system.baseUrl}/api/twilio/message-status`);
    const callback = { MessageSid: escalation.sid, MessageStatus: 'undelivered', ErrorCode: '30003' };
    const forged = await system.post('/api/twilio/message-status', callback, 'forged');
    assert.equal(forged.status, 403);
    const [first, replayed] = [await system.post('/api/twilio/message-status', callback), await system.post('/api/twilio/message-status', callback)];
    assert.equal(first.status, 204);
    assert.equal(replayed.status, 204);
    const row = await eventually('ledger updated', async () => {
      const r = await system.db.outboundMessage.findUnique({ where: { twilioSid: escalation.sid } });
      return r?.status === 'FAILED' ? r : undefined;
    });
    assert.equal(row.errorCode, '30003');
    await system.temporal.workflow.getHandle(`message-status:${escalation.sid}:undelivered`).result();
    assert.ok(system.twilio.to(FOUNDER_PHONE).some((m) => m.body.includes('SMS_UNDELIVERED') && m.body.includes(c.ownerPhone)), 'operator alerted');
    assert.equal(system.twilio.to(FOUNDER_PHONE).filter((m) => m.body.includes('SMS_UNDELIVERED')).length, 1, 'one alert for a replayed callback');
  });

  test('a text to a number that belongs to no client is answered politely and the operator alerted', async () => {
    const from = customerPhone();
    const unknownNumber = poolNumber();
    const res = await system.post('/sms', sms(from, 'Hello?', unknownNumber));
    assert.equal(res.status, 200);
    const reply = await eventually('polite reply', async () => system.twilio.to(from)[0]);
    assert.equal(reply.from, unknownNumber);
    assert.match(reply.body, /get back to you/);
    await eventually('operator alerted', async () => system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes(unknownNumber)));
    assert.equal(await system.db.customer.count({ where: { phone: from } }), 0, 'no customer invented for an unknown number');
  });
});
