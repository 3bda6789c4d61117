// What the operator relies on: /health states, metric names, alert dedup and
// the webhook, the visible kill switch, `temporal workflow reset` being safe,
// and clean shutdown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ensureTemporalBinary } from '../../src/local/temporal';
import { close, freePort, listen, readBody } from '../support/http';
import { metricValue } from '../support/metrics';
import { poolNumber, uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { FOUNDER_PHONE, TestSystem, createClientFixture, resetDatabase, sid, testEnv } from '../support/system';

const run = promisify(execFile);
type Health = { status: string; checks: Record<string, { status: string; pollers?: number }>; alerts: { enabled: boolean; reason: string } };
const health = async (system: TestSystem) => {
  const res = await fetch(`${system.baseUrl}/health`);
  return { code: res.status, body: (await res.json()) as Health };
};

describe('alerts, metrics and repair', () => {
  const system = new TestSystem('operability');
  const webhookCalls: Array<Record<string, unknown>> = [];
  const webhook = http.createServer((req, res) => {
    void readBody(req).then((body) => {
      webhookCalls.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  let workerMetrics = 0;
  let sdkMetrics = 0;

  before(async () => {
    const hookPort = await listen(webhook);
    workerMetrics = await freePort();
    sdkMetrics = await freePort();
    await system.start({
      env: {
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/alerts`,
        WORKER_METRICS_PORT: String(workerMetrics),
        TEMPORAL_SDK_METRICS_ADDRESS: `127.0.0.1:${sdkMetrics}`,
      },
    });
    await resetDatabase(system.db);
  });
  after(async () => {
    await system.stop();
    await close(webhook);
  });

  test('/health is ok with every check named', async () => {
    const { code, body } = await health(system);
    assert.equal(code, 200);
    assert.equal(body.status, 'ok');
    assert.deepEqual(Object.keys(body.checks).sort(), ['database', 'temporal', 'workers']);
    assert.ok((body.checks.workers!.pollers ?? 0) > 0);
    assert.equal(body.alerts.enabled, true);
    assert.doesNotMatch(JSON.stringify(body), /127\.0\.0\.1:\d+\/alerts/, 'the webhook URL is not disclosed');
  });

  test('without CONSOLE_PASSWORD there is no console: /console and its pages are 404', async () => {
    for (const route of ['/console', '/console/sign-in', '/console/simulator']) {
      assert.equal((await fetch(`${system.baseUrl}${route}`, { redirect: 'manual' })).status, 404, route);
    }
  });

  test('the same alert twice within 15 minutes is one SMS and one webhook call, with a count of 2', async () => {
    const number = poolNumber();
    const texts = ['+447911888001', '+447911888002'].map((from) => ({ MessageSid: sid(), From: from, To: number, Body: 'hello?' }));
    for (const params of texts) await system.post('/sms', params);
    for (const params of texts) assert.equal(await system.finished(params), 'system-number');
    assert.equal(system.twilio.to('+447911888002').length, 1, 'both answered');
    const row = await system.db.operatorAlert.findFirstOrThrow({ where: { kind: 'SMS_TO_UNASSIGNED_NUMBER', subject: number } });
    assert.equal(row.count, 2);
    assert.equal(row.outcome, 'sent');
    assert.equal(system.twilio.to(FOUNDER_PHONE).filter((m) => m.body.includes(number)).length, 1);
    const calls = webhookCalls.filter((c) => c.subject === number);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.kind, 'SMS_TO_UNASSIGNED_NUMBER');
  });

  test('metrics: the API, the worker and the Temporal SDK each expose theirs', async () => {
    const client = await createClientFixture(system.db);
    await system.post('/sms', { MessageSid: sid(), From: '+447911888003', To: client.number, Body: 'leaking tap' });
    await eventually('replied', async () => system.twilio.to('+447911888003')[0]);
    const api = await (await fetch(`${system.baseUrl}/metrics`)).text();
    for (const name of ['jobrun_sms_webhooks_total', 'jobrun_webhook_ack_seconds', 'voice_system_failsafe_intake', 'jobrun_textback_skipped_total']) {
      assert.match(api, new RegExp(`# TYPE ${name} `), name);
    }
    assert.match(api, /jobrun_sms_webhooks_total\{outcome="accepted"\} [1-9]/);
    const worker = `http://127.0.0.1:${workerMetrics}/metrics`;
    assert.equal(await metricValue(worker, 'jobrun_inbound_sms_total', { role: 'CLIENT' }), 1);
    assert.ok((await metricValue(worker, 'jobrun_outbound_sms_total', { purpose: 'reply', result: 'sent' })) >= 1);
    assert.ok((await metricValue(worker, 'jobrun_ai_turns_total', { engine: 'rules', outcome: 'ok' })) >= 1);
    assert.equal(await metricValue(worker, 'jobrun_operator_alerts_total', { kind: 'SMS_TO_UNASSIGNED_NUMBER', outcome: 'sent' }), 1);
    const sdk = await (await fetch(`http://127.0.0.1:${sdkMetrics}/metrics`)).text();
    assert.match(sdk, /temporal_/);
  });

  test('the window slides: a repeat 14 minutes after the first alert counts, one 16 minutes after alerts again', async () => {
    const number = poolNumber();
    const strayText = (from: string) => system.post('/sms', { MessageSid: sid(), From: from, To: number, Body: 'anyone there?' });
    const rows = () => system.db.operatorAlert.findMany({ where: { kind: 'SMS_TO_UNASSIGNED_NUMBER', subject: number }, orderBy: { createdAt: 'asc' } });
    const founderTexts = () => system.twilio.to(FOUNDER_PHONE).filter((m) => m.body.includes(number)).length;
    const backdate = async (id: string, minutes: number) => {
      await system.db.operatorAlert.update({ where: { id }, data: { createdAt: new Date(Date.now() - minutes * 60_000) } });
    };

    await strayText('+447911888011');
    const [first] = await eventually('first alert', async () => ((await rows()).length === 1 ? rows() : undefined));
    await eventually('first alert texted', async () => (founderTexts() === 1 ? true : undefined));
    await backdate(first!.id, 14); // across any 15-minute clock boundary: still the same incident
    await strayText('+447911888012');
    await eventually('counted as a repeat', async () => ((await rows())[0]?.count === 2 ? true : undefined));
    await backdate(first!.id, 16);
    await strayText('+447911888013');
    const later = await eventually('a new alert', async () => {
      const r = await rows();
      return r.length === 2 ? r : undefined;
    });
    assert.deepEqual(later.map((r) => r.count), [2, 1]);
    await eventually('texted again', async () => (founderTexts() === 2 ? true : undefined));
  });

  test('temporal workflow reset replays a finished message safely: a new run, still one reply', async () => {
    const client = await createClientFixture(system.db);
    const messageSid = sid();
    const from = '+447911888004';
    await system.post('/sms', { MessageSid: messageSid, From: from, To: client.number, Body: 'my shower has no pressure' });
    await eventually('replied', async () => system.twilio.to(from)[0]);
    const handle = system.temporal.workflow.getHandle(messageSid);
    await handle.result();
    const firstRun = (await handle.describe()).runId;
    const cli = await ensureTemporalBinary('temporal');
    await run(cli, ['workflow', 'reset', '--workflow-id', messageSid, '--type', 'FirstWorkflowTask', '--reason', 'suite: reset is safe', '--address', testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS')]);
    const reset = system.temporal.workflow.getHandle(messageSid);
    const outcome = await reset.result();
    assert.notEqual((await reset.describe()).runId, firstRun, 'a new run');
    assert.equal(outcome, 'already-forwarded', 'the stored message is recognised, not handled twice');
    assert.equal(system.twilio.to(from).length, 1, 'no second reply: idempotency keys are built from the workflow ID, not the run');
    const { stdout } = await run(cli, ['workflow', 'list', '--query', `WorkflowId="${messageSid}"`, '--address', testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS')]);
    assert.match(stdout, /Completed/);
  });

  test('j. the fail-safe text, sent without a ledger, is safe under temporal workflow reset too: no second text', async () => {
    const caller = uniqueMobile();
    const callSid = sid('CA');
    await system.post('/api/twilio/status', { CallSid: callSid, From: caller, To: poolNumber(), CallStatus: 'no-answer', CallDuration: '0' });
    assert.equal(await system.callFinished(callSid), 'failsafe');
    assert.equal(system.twilio.to(caller).length, 1);
    const cli = await ensureTemporalBinary('temporal');
    await run(cli, ['workflow', 'reset', '--workflow-id', callSid, '--type', 'FirstWorkflowTask', '--reason', 'suite: reset is safe', '--address', testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS')]);
    assert.equal(await system.callFinished(callSid), 'failsafe', 'the new run');
    assert.equal(system.twilio.to(caller).length, 1, 'Twilio already had the text: not sent again');
  });

  test('SIGTERM: the API and the worker stop cleanly with exit status 0', async () => {
    const api = await system.terminate('api');
    assert.equal(api.code, 0);
    const worker = await system.terminate('worker');
    assert.equal(worker.code, 0);
    assert.ok(worker.ms < 30_000, `worker drained in ${worker.ms} ms`);
  });
});

describe('ALERTS_DISABLED: the kill switch is visible', () => {
  const system = new TestSystem('alerts-disabled');
  before(async () => {
    await system.start({ env: { ALERTS_DISABLED: 'true' } });
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  test('a red banner at start-up, /health degraded with the reason, alerts recorded as suppressed', async () => {
    const log = readFileSync(path.join(testEnv('JOBRUN_TEST_LOG_DIR'), 'alerts-disabled-api.log'), 'utf8');
    assert.match(log, /ALERTS ARE GLOBALLY DISABLED/);
    assert.match(log, /should NEVER be enabled in production/);
    const { code, body } = await health(system);
    assert.equal(code, 200);
    assert.equal(body.status, 'degraded');
    assert.deepEqual(body.alerts, { enabled: false, reason: 'ALERTS_DISABLED env var set to true' });

    const number = poolNumber();
    const params = { MessageSid: sid(), From: '+447911888010', To: number, Body: 'hello?' };
    await system.post('/sms', params);
    assert.equal(await system.finished(params), 'system-number');
    const row = await system.db.operatorAlert.findFirstOrThrow({ where: { subject: number } });
    assert.equal(row.outcome, 'suppressed');
    assert.equal(system.twilio.to(FOUNDER_PHONE).length, 0, 'no SMS to the operator');
  });
});

describe('no worker polling', () => {
  const system = new TestSystem('no-worker');
  before(() => system.start({ worker: false }).then(() => undefined));
  after(() => system.stop());

  test('/health is degraded but messages are still accepted', async () => {
    const { code, body } = await health(system);
    assert.equal(code, 200);
    assert.equal(body.status, 'degraded');
    assert.equal(body.checks.workers!.status, 'degraded');
    const res = await system.post('/sms', { MessageSid: sid(), From: '+447911888020', To: poolNumber(), Body: 'anyone?' });
    assert.equal(res.status, 200, 'Temporal holds it until a worker comes');
  });
});
