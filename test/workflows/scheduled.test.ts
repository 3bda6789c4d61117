// The scheduled workflows (the evening digest, the morning number check, retention) with their activities stubbed, on the time-skipping server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { eveningDigest, numberCheck, retention } from '../../workflows';
import { digestText } from '../../workflows/digest-text';
import { londonDay } from '../../workflows/quiet-hours';
import { FailureType } from '../../workflows/shared/failures';
import { StubbedActivities } from '../support/stub-activities';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig();
});
after(() => rig.stop());

const digest = (clientId: string, ownerPhone: string) => ({
  clientId,
  businessName: `Client ${clientId}`,
  ownerPhone,
  jobrunNumber: '+447700900001',
  jobs: [{ reference: 'J1', urgency: 'URGENT', line: 'active leak', progress: 'NEW' }],
});

test('each client with jobs gets its digest, keyed by client and UK day, for the day so far; one that cannot be sent alerts the operator and the rest still go', async () => {
  let sids = 0;
  const stubs: StubbedActivities = new StubbedActivities({
    dayDigests: async () => [digest('a', '+447700900111'), digest('b', '+447700900112'), digest('c', '+447700900113')],
    sendSms: async (input) => {
      if (input.to === '+447700900112') throw ApplicationFailure.nonRetryable('21610: unsubscribed', FailureType.TwilioPermanent);
      sids += 1;
      return { sid: `SMdigest${String(sids).padStart(26, '0')}`, status: 'SENT' as const, reconciled: false };
    },
  });
  await rig.withStubs(stubs, async ({ client, taskQueue }) => {
    const now = await rig.env.currentTimeMs();
    const result = await client.workflow.execute(eveningDigest, { workflowId: 'evening-digest:test', taskQueue });
    const { day, startMs } = londonDay(now);
    assert.deepEqual(result, { day, sent: 2 });
    const [asked] = stubs.of('dayDigests');
    assert.equal(asked!.from, new Date(startMs).toISOString());
    assert.ok(Date.parse(asked!.to) >= now);
    assert.deepEqual(stubs.of('sendSms').map((s) => [s.idempotencyKey, s.to, s.from, s.purpose]), [
      [`digest:a:${day}`, '+447700900111', '+447700900001', 'summary'],
      [`digest:b:${day}`, '+447700900112', '+447700900001', 'summary'],
      [`digest:c:${day}`, '+447700900113', '+447700900001', 'summary'],
    ]);
    assert.equal(stubs.of('sendSms')[0]!.body, digestText(digest('a', '+447700900111')));
    assert.deepEqual(stubs.of('alertOperator').map((a) => [a.kind, a.subject]), [['SMS_SEND_FAILED', 'b']]);
  });
});

test('a day without jobs sends nothing', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ client, taskQueue }) => {
    const result = await client.workflow.execute(eveningDigest, { workflowId: 'evening-digest:test-empty', taskQueue });
    assert.equal(result.sent, 0);
    assert.equal(stubs.of('sendSms').length, 0);
  });
});

test("the morning number check: drifted numbers are one alert naming them; none, no alert", async () => {
  const drifted = new StubbedActivities({
    numberDrift: async () => [
      { phoneNumber: '+447700900001', problems: ['voiceUrl: "https://old.example.com/voice" → "https://jobrun.example.com/voice"'] },
      { phoneNumber: '+447700900002', problems: ['not a number of Twilio account AC0'] },
    ],
  });
  await rig.withStubs(drifted, async ({ client, taskQueue }) => {
    assert.deepEqual(await client.workflow.execute(numberCheck, { workflowId: 'number-check:test-drift', taskQueue }), { drifted: 2 });
    const [alert] = drifted.alerts();
    assert.equal(alert!.kind, 'NUMBER_MISCONFIGURED');
    assert.match(alert!.detail, /^2 pool number\(s\) do not point at JobRun at Twilio: \+447700900001 \(voiceUrl\); \+447700900002 \(not a number of Twilio account AC0\)\. See npx jobrun numbers check/);
  });
  const fine = new StubbedActivities();
  await rig.withStubs(fine, async ({ client, taskQueue }) => {
    assert.deepEqual(await client.workflow.execute(numberCheck, { workflowId: 'number-check:test-fine', taskQueue }), { drifted: 0 });
    assert.equal(fine.alerts().length, 0);
  });
});

test('retention: batches until one comes back short, all with the same cutoff RETENTION_DAYS back', async () => {
  const sizes = [500, 500, 12];
  const stubs = new StubbedActivities({ expireBatch: async () => sizes.shift() ?? 0 });
  await rig.withStubs(stubs, async ({ client, taskQueue }) => {
    const now = await rig.env.currentTimeMs();
    const result = await client.workflow.execute(retention, { workflowId: 'retention:test', taskQueue, args: [{ days: 90 }] });
    assert.deepEqual([result.rows, result.complete], [1012, true]);
    const calls = stubs.of('expireBatch');
    assert.equal(calls.length, 3);
    assert.ok(calls.every((c) => c.cutoff === result.cutoff && c.limit === 500));
    const age = now - Date.parse(result.cutoff);
    assert.ok(Math.abs(age - 90 * 86_400_000) < 60_000, `cutoff ${age} ms back`);
  });
});

test('a number check that cannot read Twilio, and a retention run that cannot finish, tell the operator rather than fail in silence', async () => {
  const stubs = new StubbedActivities({
    numberDrift: async () => {
      throw ApplicationFailure.nonRetryable('20003: Authenticate', FailureType.TwilioPermanent);
    },
    expireBatch: async () => {
      throw ApplicationFailure.nonRetryable('permission denied for table "Message"', FailureType.DatabaseData);
    },
  });
  await rig.withStubs(stubs, async ({ client, taskQueue }) => {
    await assert.rejects(client.workflow.execute(numberCheck, { workflowId: 'number-check:test-failing', taskQueue }));
    await assert.rejects(client.workflow.execute(retention, { workflowId: 'retention:test-failing', taskQueue, args: [{ days: 90 }] }));
    assert.deepEqual(stubs.alerts().map((a) => [a.kind, a.subject]), [['WORKFLOW_FAILED', 'twilio-numbers'], ['WORKFLOW_FAILED', 'retention']]);
  });
});
