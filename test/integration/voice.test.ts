// Calls end to end: forwarding with screening, missed-call text-back, and the
// SYSTEM fail-safe (a number of no client still answers every caller), against the real processes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../support/http';
import { metricValue } from '../support/metrics';
import { poolNumber, uniqueMobile as caller } from '../support/phones';
import { eventually } from '../support/poll';
import { SYSTEM_SMS_NUMBER, TestSystem, createClientFixture, resetDatabase, sid, type ClientFixture } from '../support/system';

const FAILSAFE = "We missed your call. Please reply with details about the job you need help with and we'll get back to you shortly.";
const metric = (system: TestSystem, name: string, labels: Record<string, string>) => metricValue(`${system.baseUrl}/metrics`, name, labels);

async function noRowsFor(system: TestSystem, phone: string) {
  assert.equal(await system.db.customer.count({ where: { phone } }), 0, 'no Customer');
  assert.equal(await system.db.conversation.count({ where: { customer: { phone } } }), 0, 'no Conversation');
  assert.equal(await system.db.onboardingState.count(), 0, 'no OnboardingState: onboarding never started');
  assert.equal(await system.db.client.count({ where: { phoneNumber: phone } }), 0, 'no Client');
}

describe('SYSTEM fail-safe', () => {
  const system = new TestSystem('voice-failsafe');
  before(async () => {
    await system.start();
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  test('a missed call to a number in no pool texts the caller exactly once, generically, and writes nothing', async () => {
    const from = caller();
    const to = poolNumber();
    const clientsBefore = await system.db.client.count();
    const params = { CallSid: sid('CA'), From: from, To: to, CallStatus: 'no-answer', CallDuration: '0' };
    const res = await system.post('/api/twilio/status', params);
    assert.equal(res.status, 200);
    await system.post('/api/twilio/status', params);
    const text = await eventually('fail-safe text', async () => system.twilio.to(from)[0]);
    assert.equal(text.body, FAILSAFE);
    assert.doesNotMatch(text.body, /Ace|Plumbing/);
    assert.equal(text.from, SYSTEM_SMS_NUMBER);
    assert.equal(await system.callFinished(params.CallSid), 'failsafe');
    assert.equal(system.twilio.to(from).length, 1, 'exactly once, replay included');
    await noRowsFor(system, from);
    assert.equal(await system.db.client.count(), clientsBefore);
    assert.equal(await metric(system, 'voice_system_failsafe_intake', { isKnown: 'false', callStatus: 'no-answer' }), 1);
  });

  test('a number in the pool but assigned to no client is SYSTEM too, counted as known', async () => {
    const from = caller();
    const to = poolNumber();
    await system.db.twilioNumberPool.create({ data: { phoneNumber: to, role: 'FREE' } });
    await system.post('/api/twilio/status', { CallSid: sid('CA'), From: from, To: to, CallStatus: 'busy', CallDuration: '0' });
    const text = await eventually('fail-safe text', async () => system.twilio.to(from)[0]);
    assert.equal(text.body, FAILSAFE);
    await noRowsFor(system, from);
    assert.equal(await metric(system, 'voice_system_failsafe_intake', { isKnown: 'true', callStatus: 'busy' }), 1);
    assert.equal((await system.db.twilioNumberPool.findUniqueOrThrow({ where: { phoneNumber: to } })).role, 'FREE', 'the pool is not touched');
  });

  test('a hand-made callback without a CallSid is still answered once, and onboarding is never started', async () => {
    const from = caller();
    const to = poolNumber();
    const params = { From: from, To: to, CallStatus: 'no-answer', CallDuration: '0' };
    assert.equal((await system.post('/api/twilio/status', params)).status, 200);
    await system.post('/api/twilio/status', params);
    await eventually('fail-safe text', async () => system.twilio.to(from)[0]);
    // Keyed by what the callback says, per minute: the two are one workflow, which is over once none of the kind runs.
    await eventually('the text-back done', async () => (await system.temporal.workflow.count(`TaskQueue = '${system.taskQueue}' AND WorkflowType = 'missedCall' AND ExecutionStatus = 'Running'`)).count === 0);
    assert.equal((await system.temporal.workflow.count(`TaskQueue = '${system.taskQueue}' AND WorkflowType = 'missedCall' AND WorkflowId STARTS_WITH 'CA-nosid-'`)).count, 1);
    assert.equal(system.twilio.to(from).length, 1);
    await noRowsFor(system, from);
    assert.equal(await system.started(`onboarding:${from}`), false);
  });

  test('POST /voice to a number of no client says sorry, hangs up, and texts once even with the later status callback', async () => {
    const from = caller();
    const to = poolNumber();
    const callSid = sid('CA');
    const res = await system.post('/voice', { CallSid: callSid, From: from, To: to });
    const body = await res.text();
    assert.match(body, /<Say[^>]*>Sorry, we can't take your call right now/);
    assert.match(body, /<Hangup\/>/);
    await eventually('fail-safe text', async () => system.twilio.to(from)[0]);
    await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: to, CallStatus: 'completed', CallDuration: '7' });
    assert.equal(await system.callFinished(callSid), 'failsafe');
    assert.equal(system.twilio.to(from).length, 1);
  });

  test('a texted reply to the fail-safe number is answered politely, not dropped', async () => {
    const from = caller();
    const to = poolNumber();
    await system.post('/sms', { MessageSid: sid(), From: from, To: to, Body: 'It is a leaking radiator' });
    const reply = await eventually('polite reply', async () => system.twilio.to(from)[0]);
    assert.match(reply.body, /get back to you/);
  });
});

describe('SYSTEM fail-safe with the database down', () => {
  const system = new TestSystem('voice-failsafe-nodb');
  before(async () => {
    const closed = await freePort();
    await system.start({ env: { DATABASE_URL: `postgresql://jobrun@127.0.0.1:${closed}/jobrun` } });
  });
  after(() => system.stop());

  test('a missed call still gets the fail-safe text', async () => {
    const from = caller();
    const res = await system.post('/api/twilio/status', { CallSid: sid('CA'), From: from, To: poolNumber(), CallStatus: 'no-answer', CallDuration: '0' });
    assert.equal(res.status, 200);
    const text = await eventually('fail-safe text without a database', async () => system.twilio.to(from)[0]);
    assert.equal(text.body, FAILSAFE);
    const health = await fetch(`${system.baseUrl}/health`);
    assert.equal(health.status, 503, 'and /health says the database is down');
  });
});

describe('a client\'s calls', () => {
  const system = new TestSystem('voice-client');
  let client: ClientFixture;
  before(async () => {
    await system.start();
    await resetDatabase(system.db);
    client = await createClientFixture(system.db, { businessName: 'Ace Plumbing', ownerPhone: '+447700900111' });
  });
  after(() => system.stop());

  test('POST /voice forwards to the tradesperson with a ring timeout, a Dial action and a screening whisper', async () => {
    const callSid = sid('CA');
    const res = await system.post('/voice', { CallSid: callSid, From: caller(), To: client.number });
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, new RegExp(`<Dial timeout="20" action="${system.baseUrl}/api/twilio/status" method="POST"`));
    assert.match(body, new RegExp(`<Number url="${system.baseUrl}/voice/screen\\?parent=${callSid}&amp;business=Ace\\+Plumbing" method="POST">\\+447700900111</Number>`));
    const screen = await system.post(`/voice/screen?parent=${callSid}&business=Ace+Plumbing`, { CallSid: sid('CA') });
    const whisper = await screen.text();
    assert.match(whisper, /<Gather numDigits="1"/);
    assert.match(whisper, /JobRun call for Ace Plumbing\. Press 1 to accept\./);
  });

  test('a no-answer texts the caller from the client number, naming the business; the reply continues as a conversation', async () => {
    const from = caller();
    const callSid = sid('CA');
    const res = await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: client.number, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' });
    assert.match(await res.text(), /<Hangup\/>/);
    const text = await eventually('text-back', async () => system.twilio.to(from)[0]);
    assert.equal(text.from, client.number);
    assert.match(text.body, /Ace Plumbing/);
    await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: client.number, CallStatus: 'completed', CallDuration: '31' });
    assert.equal(await system.callFinished(callSid), 'texted-back');
    const reply = { MessageSid: sid(), From: from, To: client.number, Body: 'My boiler is making a banging noise, SE1 7PB' };
    await system.post('/sms', reply);
    assert.equal(await system.finished(reply), 'forwarded');
    assert.equal(system.twilio.to(from).length, 2, 'one text-back, one reply');
    const conversation = await system.db.conversation.findFirstOrThrow({ where: { clientId: client.clientId, customer: { phone: from } }, include: { messages: true } });
    assert.equal(conversation.messages.filter((m) => m.direction === 'INBOUND').length, 1);
  });

  test('completed with CallDuration 0 is a missed call; completed with talk time is not', async () => {
    const missed = caller();
    await system.post('/api/twilio/status', { CallSid: sid('CA'), From: missed, To: client.number, CallStatus: 'completed', CallDuration: '0' });
    await eventually('text-back', async () => system.twilio.to(missed)[0]);
    const answered = caller();
    const answeredSid = sid('CA');
    assert.equal((await system.post('/api/twilio/status', { CallSid: answeredSid, From: answered, To: client.number, CallStatus: 'completed', CallDuration: '95' })).status, 200);
    assert.equal(await system.started(answeredSid), false, 'an answered call starts no text-back');
  });

  test('an answered leg counts as answered only when the tradesperson pressed 1; voicemail counts as missed', async () => {
    const accepted = caller();
    const acceptedSid = sid('CA');
    const accept = await system.post(`/voice/screen/accept?parent=${acceptedSid}`, { Digits: '1' });
    assert.match(await accept.text(), /<Response\/>/);
    await system.post('/api/twilio/status', { CallSid: acceptedSid, From: accepted, To: client.number, DialCallStatus: 'completed', DialCallDuration: '64' });

    const voicemail = caller();
    const voicemailSid = sid('CA');
    await system.post('/api/twilio/status', { CallSid: voicemailSid, From: voicemail, To: client.number, DialCallStatus: 'completed', DialCallDuration: '22' });
    assert.equal(await system.callFinished(voicemailSid), 'texted-back');
    assert.equal(system.twilio.to(voicemail).length, 1, 'voicemail caller texted');
    assert.equal(await system.callFinished(acceptedSid), 'answered');
    assert.equal(system.twilio.to(accepted).length, 0, 'the accepted call is not texted');
  });

  test('k. a caller who rings again and again gets one text-back within TEXTBACK_COOLDOWN', async () => {
    const from = caller();
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const callSid = sid('CA');
      await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: client.number, CallStatus: 'no-answer', CallDuration: '0' });
      outcomes.push(await system.callFinished(callSid));
    }
    assert.deepEqual(outcomes, ['texted-back', 'cooldown', 'cooldown']);
    assert.equal(system.twilio.to(from).length, 1);
  });

  test('k. a caller already texting with the client gets no text-back; the call is noted in their conversation', async () => {
    const from = caller();
    const text = { MessageSid: sid(), From: from, To: client.number, Body: 'Hi, the radiator in the hall is leaking' };
    await system.post('/sms', text);
    assert.equal(await system.finished(text), 'forwarded');
    const callSid = sid('CA');
    await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: client.number, CallStatus: 'no-answer', CallDuration: '0' });
    assert.equal(await system.callFinished(callSid), 'in-conversation');
    assert.equal(system.twilio.to(from).length, 1, 'their reply only');
    const note = await system.db.message.findUniqueOrThrow({ where: { twilioSid: callSid } });
    assert.deepEqual([note.direction, note.body], ['INBOUND', '(missed call)']);
  });

  test('a landline or foreign caller is not texted, and the metric says why', async () => {
    const before = await metric(system, 'jobrun_textback_skipped_total', { reason: 'not-an-allowed-mobile' });
    for (const from of ['+442079460000', '+19005550100']) {
      const callSid = sid('CA');
      const res = await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: client.number, CallStatus: 'no-answer', CallDuration: '0' });
      assert.equal(res.status, 200);
      assert.equal(await system.started(callSid), false, `${from} is not texted`);
    }
    assert.equal(await metric(system, 'jobrun_textback_skipped_total', { reason: 'not-an-allowed-mobile' }), before + 2);
  });

  test('h. only mobiles by phone-number metadata are texted: not +4470 personal numbers or +4476 pagers, though +447624 Isle of Man mobiles are', async () => {
    const before = await metric(system, 'jobrun_textback_skipped_total', { reason: 'not-a-mobile' });
    for (const from of ['+447024123456', '+447640123456']) {
      const callSid = sid('CA');
      assert.equal((await system.post('/api/twilio/status', { CallSid: callSid, From: from, To: client.number, CallStatus: 'no-answer', CallDuration: '0' })).status, 200);
      assert.equal(await system.started(callSid), false, `${from} is not texted`);
    }
    assert.equal(await metric(system, 'jobrun_textback_skipped_total', { reason: 'not-a-mobile' }), before + 2);
    const manx = sid('CA');
    await system.post('/api/twilio/status', { CallSid: manx, From: '+447624123456', To: client.number, CallStatus: 'no-answer', CallDuration: '0' });
    assert.equal(await system.callFinished(manx), 'texted-back');
    assert.equal(system.twilio.to('+447624123456').length, 1);
  });
});
