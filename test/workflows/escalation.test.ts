// A job's escalation chain with its activities stubbed, on the time-skipping
// server: the window, the call when it passes, the backup phone, the operator,
// and a take at each point stopping it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { escalation } from '../../workflows';
import { escalationProgressQuery } from '../../workflows/escalation';
import { jobTaken, stillTrying } from '../../workflows/escalation-text';
import { londonClock } from '../../workflows/quiet-hours';
import { FailureType } from '../../workflows/shared/failures';
import { escalationWorkflowId } from '../../workflows/shared/ids';
import type { EscalationInput, EscalationRaise } from '../../workflows/shared/types';
import { CLIENT, StubbedActivities } from '../support/stub-activities';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig();
});
after(() => rig.stop());

const MIN = 60_000;
const BACKUP = '+447700900200';
const CUSTOMER = '+447911000007';
let jobs = 0;

function chain(): EscalationInput {
  jobs += 1;
  return {
    jobId: `job-${jobs}-${Date.now()}`,
    clientId: CLIENT.id,
    reference: 'J7',
    businessName: CLIENT.businessName,
    jobrunNumber: '+447700900001',
    customerPhone: CUSTOMER,
    conversationId: 'conversation-row-1',
  };
}

const raise = (over: Partial<EscalationRaise> = {}): EscalationRaise => ({
  urgency: 'EMERGENCY',
  messageSid: `SMraise${String(jobs).padStart(27, '0')}`,
  alertText: 'JobRun EMERGENCY J7 for Ace Plumbing: gas smell. Reply J7 (or 1) to take it.',
  script: 'This is JobRun with an emergency job for Ace Plumbing, job J 7, not yet taken.',
  safetyAdvice: 'If you smell gas, call the gas emergency line on 0800 111 999.',
  ackWindowMs: 5 * MIN,
  ...over,
});

test('taken by text inside the window: no call, and the customer hears the tradesperson has it', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const input = chain();
    const id = await starts.escalation(input, raise());
    assert.equal(id, escalationWorkflowId(input.jobId));
    assert.equal(await starts.jobTaken(input.jobId, { by: CLIENT.ownerPhone, via: 'text' }), true);
    assert.equal(await client.workflow.getHandle<typeof escalation>(id).result(), 'taken');
    assert.equal(stubs.of('placeCall').length, 0);
    assert.deepEqual(stubs.textsTo(CUSTOMER).map((t) => [t.body, t.conversationId]), [[jobTaken(CLIENT.businessName), input.conversationId]]);
    assert.equal(stubs.alerts().length, 0);
    // Over: a later take finds no chain to stop.
    assert.equal(await starts.jobTaken(input.jobId, { by: CLIENT.ownerPhone, via: 'text' }), false);
  });
});

test('nobody takes it: the call is placed when the window passes, then the operator and the customer are told', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const input = chain();
    const started = await rig.env.currentTimeMs();
    const id = await starts.escalation(input, raise());
    assert.equal(await client.workflow.getHandle<typeof escalation>(id).result(), 'unacknowledged');

    const [call] = stubs.callsOf('placeCall');
    assert.deepEqual(call!.input, { idempotencyKey: `${id}:call-owner:${raise().messageSid}`, jobId: input.jobId, to: CLIENT.ownerPhone, from: input.jobrunNumber, script: raise().script });
    const late = call!.at - started;
    assert.ok(late >= 5 * MIN && late < 5 * MIN + 5_000, `the call was placed ${late} ms after the raise`);
    assert.equal(stubs.of('placeCall').length, 1, 'no backup phone: one call');

    const [alert] = stubs.callsOf('alertOperator');
    assert.equal(alert!.input.kind, 'ESCALATION_UNACKNOWLEDGED');
    assert.equal(alert!.input.sourceKey, `${id}:unacknowledged:${raise().messageSid}`);
    assert.equal(alert!.input.subject, `${CLIENT.id}:J7`, 'the job, so that two untaken jobs are two alerts');
    assert.ok(alert!.at - call!.at >= 3 * MIN, 'the operator is told once the call had its time');
    assert.deepEqual(stubs.textsTo(CUSTOMER).map((t) => t.body), [stillTrying(CLIENT.businessName, raise().safetyAdvice)]);
    assert.match(stubs.textsTo(CUSTOMER)[0]!.body, /0800 111 999/);
  });
});

test('the call ends unanswered: the backup phone gets the same text and a call, and pressing 1 there takes the job', async () => {
  const input = chain();
  const stubs: StubbedActivities = new StubbedActivities({
    escalationContacts: async () => ({ progress: 'NEW', ownerPhone: CLIENT.ownerPhone, backupPhone: BACKUP }),
    placeCall: async (call) => {
      // Twilio's status callback for the owner's call; 1 pressed on the backup's.
      const sid = stubs.nextSid('CA');
      if (call.to === CLIENT.ownerPhone) await starts().escalationCallEnded(escalationWorkflowId(input.jobId), sid, 'no-answer');
      else await starts().jobTaken(input.jobId, { by: BACKUP, via: 'call' });
      return { sid, status: 'PLACED', reconciled: false };
    },
  });
  let starts: () => Parameters<Parameters<WorkflowRig['withStubs']>[1]>[0]['starts'] = () => assert.fail('not started');
  await rig.withStubs(stubs, async (on) => {
    starts = () => on.starts;
    const id = await on.starts.escalation(input, raise({ urgency: 'URGENT', ackWindowMs: 15 * MIN }));
    const started = await rig.env.currentTimeMs();
    assert.equal(await on.client.workflow.getHandle<typeof escalation>(id).result(), 'taken');

    const placed = stubs.callsOf('placeCall');
    assert.deepEqual(placed.map((c) => c.input.to), [CLIENT.ownerPhone, BACKUP]);
    assert.ok(placed[0]!.at - started >= 15 * MIN - 1000, 'URGENT waits its own window');
    assert.ok(placed[1]!.at - placed[0]!.at < MIN, 'an ended call moves the chain on without waiting out its timer');
    assert.deepEqual(stubs.textsTo(BACKUP).map((t) => [t.body, t.idempotencyKey]), [[raise().alertText, `${id}:backup-text:${raise().messageSid}`]]);
    assert.equal(stubs.alerts().length, 0);
    assert.equal(stubs.textsTo(CUSTOMER).length, 0, 'taken on a call: the customer is being rung, not texted');
  });
});

test('a call Twilio refuses alerts the operator and the chain goes on to the end', async () => {
  const stubs = new StubbedActivities({
    placeCall: async () => {
      throw ApplicationFailure.nonRetryable('21215: not allowed to call this number', FailureType.TwilioPermanent);
    },
  });
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const id = await starts.escalation(chain(), raise());
    assert.equal(await client.workflow.getHandle<typeof escalation>(id).result(), 'unacknowledged');
    assert.deepEqual(stubs.alerts().map((a) => a.kind), ['CALL_FAILED', 'ESCALATION_UNACKNOWLEDGED']);
  });
});

test('a job the database has taken (its signal lost) is not rung about', async () => {
  let progress = 'NEW';
  const stubs = new StubbedActivities({ escalationContacts: async () => ({ progress, ownerPhone: CLIENT.ownerPhone, backupPhone: null }) });
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const id = await starts.escalation(chain(), raise());
    const handle = client.workflow.getHandle<typeof escalation>(id);
    assert.equal((await handle.query(escalationProgressQuery)).stage, 'window');
    progress = 'TAKEN';
    assert.equal(await handle.result(), 'taken-before');
    assert.equal(stubs.of('placeCall').length, 0);
    assert.equal(stubs.alerts().length, 0);
  });
});

test('raised to EMERGENCY mid-window: the shorter window runs from then; a second raise of the same urgency changes nothing', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const input = chain();
    const started = await rig.env.currentTimeMs();
    const id = await starts.escalation(input, raise({ urgency: 'URGENT', ackWindowMs: 15 * MIN }));
    await rig.env.sleep(2 * MIN);
    await starts.escalation(input, raise({ urgency: 'EMERGENCY', messageSid: 'SMlater', ackWindowMs: 5 * MIN }));
    await starts.escalation(input, raise({ urgency: 'EMERGENCY', messageSid: 'SMlatest', ackWindowMs: 5 * MIN }));
    const handle = client.workflow.getHandle<typeof escalation>(id);
    assert.equal((await handle.query(escalationProgressQuery)).urgency, 'EMERGENCY');
    await handle.result();
    const [call] = stubs.callsOf('placeCall');
    const late = call!.at - started;
    assert.ok(late >= 7 * MIN - 1000 && late < 8 * MIN, `called ${late} ms after the first raise`);
    assert.equal(call!.input.idempotencyKey, `${id}:call-owner:${raise().messageSid}`, "the chain's keys are its first raise's");
  });
});

test('raised to EMERGENCY after the operator was told: a new round, with its own window and keys', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const input = chain();
    const id = await starts.escalation(input, raise({ urgency: 'URGENT', ackWindowMs: 15 * MIN }));
    const handle = client.workflow.getHandle<typeof escalation>(id);
    await rig.env.sleep(20 * MIN);
    assert.equal((await handle.query(escalationProgressQuery)).stage, 'waiting-late');
    const raisedAt = await rig.env.currentTimeMs();
    await starts.escalation(input, raise({ urgency: 'EMERGENCY', messageSid: 'SMgas', ackWindowMs: 5 * MIN }));
    assert.equal(await handle.result(), 'unacknowledged');
    const calls = stubs.callsOf('placeCall');
    assert.deepEqual(calls.map((c) => c.input.idempotencyKey), [`${id}:call-owner:${raise().messageSid}`, `${id}:call-owner:SMgas`]);
    const late = calls[1]!.at - raisedAt;
    assert.ok(late >= 5 * MIN && late < 5 * MIN + 5_000, `the second round rang ${late} ms after its raise`);
    assert.deepEqual(stubs.alerts().map((a) => a.kind), ['ESCALATION_UNACKNOWLEDGED', 'ESCALATION_UNACKNOWLEDGED']);
  });
});

test('a database that cannot answer ends the chain with an alert to ring the tradesperson, not in silence', async () => {
  const stubs = new StubbedActivities({
    escalationContacts: async () => {
      throw ApplicationFailure.nonRetryable('relation "Job" does not exist', FailureType.DatabaseData);
    },
  });
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const id = await starts.escalation(chain(), raise());
    await assert.rejects(client.workflow.getHandle<typeof escalation>(id).result());
    const [alert] = stubs.alerts();
    assert.equal(alert!.kind, 'WORKFLOW_FAILED');
    assert.match(alert!.detail, /Ring the tradesperson/);
  });
});

test('quiet hours never delay it: raised at 02:30 UK time, the call goes five minutes later', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts, client }) => {
    const now = await rig.env.currentTimeMs();
    const { hour, minute } = londonClock(now);
    const toNight = ((((2 - hour) * 60 + (30 - minute)) % 1440) + 1440) % 1440;
    await rig.env.sleep(toNight * MIN);
    const raisedAt = await rig.env.currentTimeMs();
    assert.equal(londonClock(raisedAt).hour, 2);
    const id = await starts.escalation(chain(), raise());
    await client.workflow.getHandle<typeof escalation>(id).result();
    const late = stubs.callsOf('placeCall')[0]!.at - raisedAt;
    assert.ok(late >= 5 * MIN && late < 5 * MIN + 5_000, `called ${late} ms after a 02:30 raise`);
  });
});
