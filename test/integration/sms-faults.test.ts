// Faults at the wire: Twilio failing before or after it took the message,
// Twilio refusing a number, Temporal unreachable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../support/http';
import { uniqueMobile as customerPhone } from '../support/phones';
import { FOUNDER_PHONE, TestSystem, createClientFixture, resetDatabase, sid, type ClientFixture } from '../support/system';

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
    const params = sms(from, 'My radiator is cold');
    await system.post('/sms', params);
    assert.equal(await system.finished(params), 'forwarded');
    assert.equal(system.twilio.to(from).length, 1, 'delivered after the retries, once');
    assert.ok(system.twilio.createRequests - before >= 3, 'two failed attempts, then the one that worked');
    const ledger = await system.db.outboundMessage.findFirstOrThrow({ where: { toNumber: from } });
    assert.equal(ledger.status, 'SENT');
    assert.equal(ledger.attempts, 3);
  });

  test('a send whose first attempt reached Twilio but failed afterwards is not repeated', async () => {
    const from = customerPhone();
    system.twilio.failSends(1, { status: 500, code: 20500, afterStore: true, to: from });
    const listsBefore = system.twilio.listRequests;
    const params = sms(from, 'Need a new outside tap fitted');
    await system.post('/sms', params);
    await system.finished(params);
    const ledger = await system.db.outboundMessage.findFirstOrThrow({ where: { toNumber: from } });
    assert.equal(ledger.status, 'SENT', 'ledger reconciled');
    const sent = system.twilio.to(from);
    assert.equal(sent.length, 1, 'Twilio holds exactly one reply');
    assert.equal(ledger.twilioSid, sent[0]!.sid, 'the ledger found the first attempt');
    assert.ok(system.twilio.listRequests > listsBefore, 'the retry asked Twilio before sending');
  });

  test('a permanently refused number (21211) is not retried and the operator hears of it', async () => {
    const from = customerPhone();
    system.twilio.failSends(1, { status: 400, code: 21211, to: from });
    const params = sms(from, 'Can you fix a leaking roof?');
    await system.post('/sms', params);
    await system.finished(params);
    const alert = system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('SMS_SEND_FAILED'));
    assert.match(alert?.body ?? 'no alert', /21211|TwilioPermanentError/);
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
