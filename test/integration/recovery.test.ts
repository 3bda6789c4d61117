// Recovery from Twilio's log, end to end: the real API and worker, real
// Postgres and Temporal, and a fake Twilio that keeps the account's log of
// inbound texts and calls and serves Twilio's list API over it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../support/http';
import { metricValue } from '../support/metrics';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { FOUNDER_PHONE, TestSystem, createClientFixture, resetDatabase, type ClientFixture } from '../support/system';

const HOUR = 3_600_000;

describe("recovery from Twilio's log", () => {
  const system = new TestSystem('recovery');
  let client: ClientFixture;
  let workerMetrics = 0;

  before(async () => {
    workerMetrics = await freePort();
    await system.start({ env: { WORKER_METRICS_PORT: String(workerMetrics) } });
    await resetDatabase(system.db);
    client = await createClientFixture(system.db, { businessName: 'Log Cabin Plumbing', ownerPhone: uniqueMobile() });
    await system.sweepNow(); // the first checkpoint
  });
  after(() => system.stop());

  const recoveredAlerts = () => system.twilio.to(FOUNDER_PHONE).filter((m) => m.body.includes('RECOVERED_FROM_TWILIO'));

  test('a text whose webhook never came is found and answered, once; one that came by webhook, and JobRun\'s own replies, are left alone', async () => {
    const lost = await system.textIn({ from: uniqueMobile(), to: client.number, body: 'Anyone there? My boiler is leaking' }, { webhook: false });
    const delivered = await system.textIn({ from: uniqueMobile(), to: client.number, body: 'Quote for a new radiator please' });
    assert.equal(delivered.answered, 200);
    await system.finished(delivered.params);

    const sweep = await system.sweepNow();
    assert.deepEqual(sweep.recovered, { texts: 1, calls: 0 });
    assert.equal(await system.finished(lost.params), 'forwarded');
    assert.equal(system.twilio.to(lost.params.From).length, 1, 'answered once');
    assert.equal(system.twilio.to(delivered.params.From).length, 1, 'not answered again');
    assert.equal(await system.db.message.count({ where: { twilioSid: { in: [lost.params.MessageSid, delivered.params.MessageSid] }, direction: 'INBOUND' } }), 2);
    assert.equal(recoveredAlerts().length, 1, 'the operator is told webhooks are not arriving');
    assert.match(recoveredAlerts()[0]!.body, /1 text\(s\) and 0 call\(s\) reached Twilio but not JobRun/);
    assert.equal(await metricValue(`http://127.0.0.1:${workerMetrics}/metrics`, 'jobrun_recovered_total', { kind: 'sms' }), 1);

    const again = await system.sweepNow();
    assert.deepEqual(again.recovered, { texts: 0, calls: 0 }, 'nothing is handled twice');
    assert.equal(system.twilio.to(lost.params.From).length, 1);
  });

  test('calls whose callbacks never came: one that reached nobody is texted back, one the tradesperson took is not', async () => {
    const missed = system.twilio.receiveCall({ from: uniqueMobile(), to: client.number, status: 'completed', duration: 24, dialled: { to: client.ownerPhone, status: 'no-answer', duration: 0 } });
    const taken = system.twilio.receiveCall({ from: uniqueMobile(), to: client.number, status: 'completed', duration: 95, dialled: { to: client.ownerPhone, status: 'completed', duration: 80 } });
    // The tradesperson pressed 1 on the whisper (that webhook got through; the status callbacks did not).
    await system.post(`/voice/screen/accept?parent=${taken.sid}`, { Digits: '1' });
    const voicemail = system.twilio.receiveCall({ from: uniqueMobile(), to: client.number, status: 'completed', duration: 40, dialled: { to: client.ownerPhone, status: 'completed', duration: 30 } });

    const sweep = await system.sweepNow();
    assert.deepEqual(sweep.recovered, { texts: 0, calls: 2 });
    assert.equal(await system.callFinished(missed.sid), 'texted-back');
    assert.equal(await system.callFinished(voicemail.sid), 'texted-back', 'voicemail picked up, nobody pressed 1');
    assert.match(system.twilio.to(missed.from)[0]!.body, /Log Cabin Plumbing/);
    assert.equal(system.twilio.to(taken.from).length, 0, 'the call the tradesperson took gets no text');
    assert.equal(await system.started(taken.sid), false);
    assert.equal((await system.db.handledInbound.findUniqueOrThrow({ where: { sid: taken.sid } })).outcome, 'answered');
  });

  test('a missed call found past RECOVERY_MAX_CALL_AGE is not texted back: the tradesperson is asked to ring them', async () => {
    const late = system.twilio.receiveCall({ from: uniqueMobile(), to: client.number, status: 'no-answer', at: new Date(Date.now() - 13 * HOUR) });
    // The worker was down overnight: the checkpoint is from before the call.
    await system.db.recoveryCheckpoint.update({ where: { kind: 'calls' }, data: { until: new Date(Date.now() - 14 * HOUR) } });
    const sweep = await system.sweepNow();
    assert.ok(sweep.recovered.calls >= 1);
    assert.equal(await system.callFinished(late.sid), 'late-told-tradesperson');
    assert.equal(system.twilio.to(late.from).length, 0);
    const told = system.twilio.to(client.ownerPhone).find((m) => m.body.includes(late.from));
    assert.match(told?.body ?? 'nothing', /was missed\. JobRun only learnt of it later, too late to text them back: please ring them\./);
  });

  test('Twilio failing mid-sweep is retried, never skipped; a refused token alerts the operator and leaves the checkpoint where it was', async () => {
    const lost = await system.textIn({ from: uniqueMobile(), to: client.number, body: 'hello, need a plumber' }, { webhook: false });
    system.twilio.listFault = { status: 503, code: 20503 };
    const listsBefore = system.twilio.listRequests;
    const sweeping = system.sweepNow();
    await eventually('the sweep meets the outage', () => system.twilio.listRequests > listsBefore);
    setTimeout(() => (system.twilio.listFault = null), 3000);
    const sweep = await sweeping;
    assert.equal(sweep.recovered.texts, 1, 'found once Twilio answered');
    assert.equal(await system.finished(lost.params), 'forwarded');

    const before = await system.db.recoveryCheckpoint.findMany({ orderBy: { kind: 'asc' } });
    system.twilio.listFault = { status: 401, code: 20003 };
    try {
      await assert.rejects(system.sweepNow());
    } finally {
      system.twilio.listFault = null;
    }
    assert.deepEqual(await system.db.recoveryCheckpoint.findMany({ orderBy: { kind: 'asc' } }), before);
    const alert = await system.db.operatorAlert.findFirstOrThrow({ where: { kind: 'RECOVERY_FAILED' } });
    assert.match(alert.detail, /Twilio refused JobRun's credentials \(20003\)/);
  });
});

describe('the recovery schedule', () => {
  const system = new TestSystem('recovery-schedule');
  before(async () => {
    await system.start({ env: { RECOVERY_INTERVAL: '2s' } });
  });
  after(() => system.stop());

  test('runs a sweep every RECOVERY_INTERVAL by itself, so a lost text is answered without anyone asking', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const lost = await system.textIn({ from: uniqueMobile(), to: client.number, body: 'dripping tap' }, { webhook: false });
    await eventually('answered from the log', () => system.twilio.to(lost.params.From).length > 0, 60_000);
    assert.equal(await system.finished(lost.params), 'forwarded');
    assert.match(readFileSync(system.logFile('worker'), 'utf8'), /recovery from Twilio's log every 2 s/);
  });
});

describe('without Twilio credentials', () => {
  const system = new TestSystem('recovery-off');
  before(async () => {
    await system.start({ env: { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined, TWILIO_SIGNATURE_CHECK: 'off' } });
  });
  after(() => system.stop());

  test('the sweep is off, and start-up says so in one line', () => {
    const lines = readFileSync(system.logFile('worker'), 'utf8').split('\n').filter((l) => l.includes('"event":"recovery.off"'));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /recovery from Twilio's log is off: no Twilio credentials \(local outbox\)/);
  });
});
