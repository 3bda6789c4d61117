// Recovery from Twilio's log with the activities stubbed: a sweep moves the
// checkpoint only after a complete read and tells the operator once when it
// recovered anything or could not read the log; intake workflows record
// what they handled; a missed call found too late is for a person to ring.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { missedCall, twilioRecovery } from '../../workflows';
import { FailureType } from '../../workflows/shared/failures';
import type { MissedCallInput, SweepResult } from '../../workflows/shared/types';
import { lateCallText } from '../../workflows/voice-messages';
import { CLIENT, StubbedActivities } from '../support/stub-activities';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig();
});
after(() => rig.stop());

let n = 0;
const sweepResult = (recovered: SweepResult['recovered']): SweepResult => ({
  textsUntil: '2026-12-01T10:00:00.000Z',
  callsUntil: '2026-12-01T09:58:00.000Z',
  read: { texts: 7, calls: 2 },
  recovered,
  twilioRequests: 2,
});

async function sweep(stubs: StubbedActivities) {
  n += 1;
  return rig.withStubs(stubs, async ({ client, taskQueue }) => {
    const handle = await client.workflow.start(twilioRecovery, { workflowId: `twilio-recovery:test-${n}`, taskQueue });
    return handle.result().then(
      (result) => ({ result, workflowId: handle.workflowId }),
      (err: Error) => ({ error: err, workflowId: handle.workflowId }),
    );
  });
}

describe('a sweep', () => {
  test('that recovered texts and calls: the checkpoint moves to what was read, and the operator hears once', async () => {
    const stubs = new StubbedActivities({ sweepTwilioLog: async () => sweepResult({ texts: 3, calls: 1 }) });
    const run = await sweep(stubs);
    assert.ok('result' in run);
    assert.deepEqual(stubs.of('saveRecoveryCheckpoint'), [{ textsUntil: '2026-12-01T10:00:00.000Z', callsUntil: '2026-12-01T09:58:00.000Z' }]);
    const alerts = stubs.alerts();
    assert.deepEqual(alerts.map((a) => [a.kind, a.subject, a.sourceKey]), [['RECOVERED_FROM_TWILIO', 'twilio-webhooks', `${run.workflowId}:recovered`]]);
    assert.match(alerts[0]!.detail, /^3 text\(s\) and 1 call\(s\) reached Twilio but not JobRun's webhooks/);
  });

  test('that found everything handled: the checkpoint moves, nobody is alerted', async () => {
    const stubs = new StubbedActivities({ sweepTwilioLog: async () => sweepResult({ texts: 0, calls: 0 }) });
    await sweep(stubs);
    assert.equal(stubs.of('saveRecoveryCheckpoint').length, 1);
    assert.equal(stubs.alerts().length, 0);
  });

  test('that cannot read the log (Twilio refuses the token): the checkpoint stays, the operator is told, the run fails for the next to retry', async () => {
    const stubs = new StubbedActivities({
      sweepTwilioLog: async () => {
        throw ApplicationFailure.nonRetryable("Twilio refused JobRun's credentials (20003)", FailureType.TwilioPermanent);
      },
    });
    const run = await sweep(stubs);
    assert.ok('error' in run, 'the run fails');
    assert.equal(stubs.of('sweepTwilioLog').length, 1, 'a refused token is not retried');
    assert.equal(stubs.of('saveRecoveryCheckpoint').length, 0);
    const [alert] = stubs.alerts('RECOVERY_FAILED');
    assert.match(alert!.detail, /could not read Twilio's log \(TwilioPermanentError: Twilio refused JobRun's credentials \(20003\)\)/);
  });
});

describe('what was handled is recorded', () => {
  test('an inbound text, with what came of it', async () => {
    const stubs = new StubbedActivities({ resolveNumber: async () => ({ role: 'SYSTEM', reason: 'not-in-pool' }) });
    const messageSid = `SMrecorded${String(++n).padStart(24, '0')}`;
    await rig.withStubs(stubs, async ({ starts }) => {
      await starts.inboundSms({ messageSid, from: '+447911000301', to: '+447700900009', body: 'hello?', receivedAt: new Date().toISOString() });
      await rig.env.client.workflow.getHandle(messageSid).result();
    });
    assert.deepEqual(stubs.of('recordHandled'), [{ sid: messageSid, kind: 'SMS', outcome: 'system-number' }]);
  });

  test('a missed call, even one whose text could not be sent', async () => {
    const stubs = new StubbedActivities({
      sendWithoutDatabase: async () => {
        throw ApplicationFailure.nonRetryable('not a mobile (21614)', FailureType.TwilioPermanent);
      },
    });
    const input = call();
    await ring(stubs, input);
    assert.deepEqual(stubs.of('recordHandled'), [{ sid: input.callSid, kind: 'CALL', outcome: 'text-failed' }]);
  });
});

function call(over: Partial<MissedCallInput> = {}): MissedCallInput {
  n += 1;
  return { callSid: `CArecovery${String(n).padStart(24, '0')}`, from: '+447911000302', to: '+447700900001', callStatus: 'completed', number: { role: 'CLIENT', client: CLIENT }, checkScreening: false, ...over };
}

function ring(stubs: StubbedActivities, input: MissedCallInput) {
  return rig.withStubs(stubs, async ({ starts }) => {
    await starts.missedCall(input);
    return rig.env.client.workflow.getHandle<typeof missedCall>(input.callSid).result();
  });
}

describe('a missed call found hours late', () => {
  const late = { calledAt: '2026-12-01T03:12:00.000Z' };

  test('on a client\'s number: the tradesperson is asked to ring the caller; the caller gets no text', async () => {
    const stubs = new StubbedActivities();
    const input = call({ late });
    assert.equal(await ring(stubs, input), 'late-told-tradesperson');
    assert.equal(stubs.textsTo(input.from).length, 0);
    assert.deepEqual(stubs.textsTo(CLIENT.ownerPhone).map((t) => [t.from, t.body, t.idempotencyKey]), [[input.to, lateCallText('Ace Plumbing', input.from, late.calledAt), `${input.callSid}:late-call`]]);
    assert.match(lateCallText('Ace Plumbing', input.from, late.calledAt), /rang Ace Plumbing at 1 Dec, 03:12 and was missed/);
    assert.equal(stubs.of('recordMissedCall').length, 0);
  });

  test('on a number of no client: the operator is told, no fail-safe text', async () => {
    const stubs = new StubbedActivities();
    const input = call({ late, number: { role: 'SYSTEM', reason: 'not-in-pool' } });
    assert.equal(await ring(stubs, input), 'late-told-operator');
    assert.equal(stubs.of('sendFailsafeSms').length, 0);
    assert.match(stubs.alerts('CALL_TO_UNASSIGNED_NUMBER')[0]!.detail, /too late to text them back/);
  });

  test('answered after all (the tradesperson pressed 1): nobody is told anything', async () => {
    const stubs = new StubbedActivities({ wasCallAccepted: async () => true });
    assert.equal(await ring(stubs, call({ late, checkScreening: true })), 'answered');
    assert.equal(stubs.textsTo().length + stubs.alerts().length, 0);
  });
});
