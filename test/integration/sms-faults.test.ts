// Faults at the wire: Twilio failing before or after it took the message,
// Twilio refusing a number, Temporal unreachable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FOUNDER_PHONE, TestSystem, createClientFixture, eventually, resetDatabase, settle, sid, type ClientFixture } from '../support/system';
import { freePort } from '../support/http';

let customerCounter = 0;
const customerPhone = () => `+4479222${String(process.pid % 100).padStart(2, '0')}${String(++customerCounter).padStart(3, '0')}`;

describe('Twilio faults', () => {
  const system = new TestSystem('sms-faults');
  let client: ClientFixture;

  before(async () => {
    await system.start();
    await resetDatabase(system.db);
    client = await createClientFixture(system.db);
  });
  after(() => system.stop());

  const sms = (from: string, body: string) => ({ MessageSid: sid(), From: from, To: client.number, Body: body });

  test('a transient Twilio 500 is retried into exactly one SMS', async () => {
    const from = customerPhone();
    system.twilio.failSends(2, { status: 500, code: 20500, to: from });
    const before = system.twilio.createRequests;
    await system.post('/sms', sms(from, 'My radiator is cold'));
    await eventually('reply delivered after retries', async () => system.twilio.to(from)[0], 60_000);
    await settle(3000);
    assert.equal(system.twilio.to(from).length, 1);
    assert.ok(system.twilio.createRequests - before >= 3, 'two failed attempts, then the one that worked');
    const ledger = await system.db.outboundMessage.findFirstOrThrow({ where: { toNumber: from } });
    assert.equal(ledger.status, 'SENT');
    assert.equal(ledger.attempts, 3);
  });

  test('a send whose first attempt reached Twilio but failed afterwards is not repeated', async () => {
    const from = customerPhone();
    system.twilio.failSends(1, { status: 500, code: 20500, afterStore: true, to: from });
    const listsBefore = system.twilio.listRequests;
    await system.post('/sms', sms(from, 'Need a new outside tap fitted'));
    const ledger = await eventually('ledger reconciled', async () => {
      const row = await system.db.outboundMessage.findFirst({ where: { toNumber: from, status: 'SENT' } });
      return row ?? undefined;
    }, 60_000);
    await settle(3000);
    const sent = system.twilio.to(from);
    assert.equal(sent.length, 1, 'Twilio holds exactly one reply');
    assert.equal(ledger.twilioSid, sent[0]!.sid, 'the ledger found the first attempt');
    assert.ok(system.twilio.listRequests > listsBefore, 'the retry asked Twilio before sending');
  });

  test('a permanently refused number (21211) is not retried and the operator hears of it', async () => {
    const from = customerPhone();
    system.twilio.failSends(1, { status: 400, code: 21211, to: from });
    await system.post('/sms', sms(from, 'Can you fix a leaking roof?'));
    const alert = await eventually('operator alerted', async () => system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('SMS_SEND_FAILED')), 60_000);
    assert.match(alert.body, /21211|TwilioPermanentError/);
    await settle(3000);
    const ledger = await system.db.outboundMessage.findFirstOrThrow({ where: { toNumber: from } });
    assert.equal(ledger.status, 'FAILED');
    assert.equal(ledger.errorCode, '21211');
    assert.equal(system.twilio.createAttempts.filter((to) => to === from).length, 1, 'one attempt at the customer, no retries');
  });
});

describe('Temporal unreachable', () => {
  const system = new TestSystem('sms-no-temporal');

  before(async () => {
    const closed = await freePort();
    await system.start({ worker: false, env: { TEMPORAL_ADDRESS: `127.0.0.1:${closed}` } });
  });
  after(() => system.stop());

  test('a webhook is answered 503 within seconds, so that Twilio retries it', async () => {
    const started = Date.now();
    const res = await system.post('/sms', { MessageSid: sid(), From: '+447911000001', To: '+447700900001', Body: 'hello' });
    const elapsed = Date.now() - started;
    assert.equal(res.status, 503);
    assert.ok(elapsed < 10_000, `answered in ${elapsed} ms, inside Twilio's 15 s`);
    const health = await fetch(`${system.baseUrl}/health`);
    assert.equal(health.status, 503);
    assert.equal(((await health.json()) as { checks: { temporal: { status: string } } }).checks.temporal.status, 'down');
  });
});
