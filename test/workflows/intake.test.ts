// The short workflows behind the webhooks, with their activities stubbed:
// every outcome of an inbound SMS, a missed call and a delivery report, and
// what a second start of the same SID means.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { inboundSms, messageStatus, missedCall } from '../../workflows';
import { INVARIANT_REPLY, SYSTEM_NUMBER_REPLY, systemGateReply } from '../../workflows/guard-messages';
import { COMMANDS_HELP, NOT_A_COMMAND, pauseReply } from '../../workflows/tradesperson-replies';
import { alreadyClient } from '../../workflows/onboarding-messages';
import { FailureType } from '../../workflows/shared/failures';
import { SA } from '../../workflows/shared/search-attributes';
import type { InboundSmsInput, MissedCallInput, NumberRole } from '../../workflows/shared/types';
import { FAILSAFE_TEXT, pausedTextBack, textBack } from '../../workflows/voice-messages';
import { CLIENT, StubbedActivities } from '../support/stub-activities';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig();
});
after(() => rig.stop());

let n = 0;
const JOBRUN_NUMBER = '+447700900001';
function sms(body: string): InboundSmsInput {
  n += 1;
  return { messageSid: `SMintake${String(n).padStart(26, '0')}`, from: `+4479440000${String(n).padStart(2, '0')}`, to: JOBRUN_NUMBER, body, receivedAt: new Date().toISOString() };
}

async function deliver(stubs: StubbedActivities, input: InboundSmsInput) {
  return rig.withStubs(stubs, async ({ starts }) => {
    assert.equal(await starts.inboundSms(input), 'started');
    const handle = rig.env.client.workflow.getHandle<typeof inboundSms>(input.messageSid);
    return { outcome: await handle.result(), attributes: (await handle.describe()).typedSearchAttributes };
  });
}

const stored = (over: Partial<Awaited<ReturnType<StubbedActivities['implementations']['recordInbound']>>> = {}) =>
  async () => ({ customerId: 'customer-1', conversationId: 'conversation-row-1', mode: 'OPERATIONAL' as const, alreadyForwarded: false, optedOut: false, ...over });

describe('an inbound SMS', () => {
  test('to a client\'s number: stored, then handed to the customer\'s conversation', async () => {
    const stubs = new StubbedActivities();
    const input = sms('my tap drips');
    const { outcome, attributes } = await deliver(stubs, input);
    assert.equal(outcome, 'forwarded');
    assert.deepEqual(stubs.of('recordInbound'), [{ messageSid: input.messageSid, clientId: CLIENT.id, from: input.from, to: input.to, body: input.body, receivedAt: input.receivedAt }]);
    assert.deepEqual(stubs.of('forwardToConversation'), [
      {
        clientId: CLIENT.id,
        customerId: 'customer-1',
        conversationId: 'conversation-row-1',
        customerPhone: input.from,
        jobrunNumber: input.to,
        signal: { messageSid: input.messageSid, body: input.body, receivedAt: input.receivedAt, client: CLIENT },
      },
    ]);
    assert.equal(stubs.textsTo().length, 0, 'the conversation answers, not the intake');
    assert.equal(attributes.get(SA.numberRole), 'CLIENT');
    assert.equal(attributes.get(SA.clientId), CLIENT.id);
    assert.match(attributes.get(SA.customerHash) ?? '', /^[0-9a-f]{16}$/);
  });

  test('a second start of the same MessageSid is a duplicate, while running and after it closed', async () => {
    const stubs = new StubbedActivities();
    const input = sms('hello');
    await rig.withStubs(stubs, async ({ starts }) => {
      assert.equal(await starts.inboundSms(input), 'started');
      assert.equal(await starts.inboundSms(input), 'duplicate');
      await rig.env.client.workflow.getHandle(input.messageSid).result();
      assert.equal(await starts.inboundSms(input), 'duplicate');
    });
    assert.equal(stubs.of('forwardToConversation').length, 1);
  });

  test('a message stored and forwarded before (a replay after Temporal\'s retention) stops there', async () => {
    const stubs = new StubbedActivities({ recordInbound: stored({ alreadyForwarded: true }) });
    assert.equal((await deliver(stubs, sms('again'))).outcome, 'already-forwarded');
    assert.equal(stubs.of('forwardToConversation').length, 0);
  });

  test('STOP, however it is written, opts the customer out and is not forwarded', async () => {
    for (const body of ['STOP', 'stop.', ' Stop! ']) {
      const stubs = new StubbedActivities();
      assert.equal((await deliver(stubs, sms(body))).outcome, 'opted-out', body);
      assert.deepEqual(stubs.of('setOptOut'), [{ customerId: 'customer-1', optedOut: true }], body);
      assert.equal(stubs.of('forwardToConversation').length, 0);
    }
  });

  test('an opted-out customer: START opts back in; STOP again changes nothing; anything else gets them nothing, but the tradesperson hears it', async () => {
    const start = new StubbedActivities({ recordInbound: stored({ optedOut: true }) });
    assert.equal((await deliver(start, sms('Start'))).outcome, 'opted-out');
    assert.deepEqual(start.of('setOptOut'), [{ customerId: 'customer-1', optedOut: false }]);
    assert.equal(start.textsTo().length, 0);
    const again = new StubbedActivities({ recordInbound: stored({ optedOut: true }) });
    await deliver(again, sms('STOP'));
    assert.equal(again.of('setOptOut').length + again.textsTo().length, 0);

    const other = new StubbedActivities({ recordInbound: stored({ optedOut: true }) });
    const input = sms('Is anyone there? The leak is worse');
    assert.equal((await deliver(other, input)).outcome, 'opted-out');
    assert.equal(other.of('setOptOut').length + other.of('forwardToConversation').length + other.textsTo(input.from).length, 0, 'nothing to the customer');
    assert.deepEqual(other.textsTo(CLIENT.ownerPhone).map((t) => [t.from, t.body]), [
      [input.to, `JobRun: ${input.from} has opted out of texts from JobRun (they sent STOP), so JobRun cannot reply, but they wrote: "Is anyone there? The leak is worse" Please ring them if it needs a reply.`],
    ]);
  });

  test('the tradesperson texting their own JobRun number is never taken for a customer: what is not a command gets a pointer to HELP, nothing stored', async () => {
    const stubs = new StubbedActivities();
    const input = { ...sms('hello, testing my number'), from: CLIENT.ownerPhone };
    assert.equal((await deliver(stubs, input)).outcome, 'tradesperson');
    assert.deepEqual(stubs.textsTo(CLIENT.ownerPhone).map((t) => [t.from, t.body]), [[JOBRUN_NUMBER, NOT_A_COMMAND]]);
    assert.equal(stubs.of('recordInbound').length + stubs.of('forwardToConversation').length, 0);
  });

  describe('the tradesperson\'s commands', () => {
    const command = async (body: string, stubs = new StubbedActivities()) => {
      const input = { ...sms(body), from: CLIENT.ownerPhone };
      assert.equal((await deliver(stubs, input)).outcome, 'tradesperson');
      return { stubs, input, replies: stubs.textsTo(CLIENT.ownerPhone).map((t) => t.body) };
    };

    test('HELP lists them', async () => {
      assert.deepEqual((await command('help')).replies, [COMMANDS_HELP]);
    });

    test('the backup phone\'s texts are commands too, answered to it; a client with none treats that phone as a customer', async () => {
      const backup = '+447700900299';
      const withBackup = new StubbedActivities({ resolveNumber: async () => ({ role: 'CLIENT', client: { ...CLIENT, backupPhone: backup } }) });
      const input = { ...sms('J7'), from: backup };
      assert.equal((await deliver(withBackup, input)).outcome, 'tradesperson');
      assert.deepEqual(withBackup.of('takeJob').map((t) => t.by), [backup]);
      assert.deepEqual(withBackup.textsTo(backup).map((t) => t.body), ['J7 is yours. The customer is on +447911000007.']);
      const without = new StubbedActivities();
      assert.equal((await deliver(without, { ...sms('J7'), from: backup })).outcome, 'forwarded');
    });

    test('PAUSE and RESUME flip the SystemGate switch and say so', async () => {
      const paused = await command('PAUSE');
      assert.deepEqual(paused.stubs.of('setClientPaused'), [{ clientId: CLIENT.id, paused: true }]);
      assert.deepEqual(paused.replies, [pauseReply(true, true, CLIENT.ownerPhone)]);
      const already = await command('Resume', new StubbedActivities({ setClientPaused: async () => ({ changed: false }) }));
      assert.deepEqual(already.stubs.of('setClientPaused'), [{ clientId: CLIENT.id, paused: false }]);
      assert.deepEqual(already.replies, ['JobRun was already on.']);
    });

    test('J7 and 1 take a job, marked with the phone and the text\'s time; the reply names it and the customer', async () => {
      const named = await command('J7');
      assert.deepEqual(named.stubs.of('takeJob'), [{ clientId: CLIENT.id, job: { number: 7 }, by: CLIENT.ownerPhone, at: named.input.receivedAt }]);
      assert.deepEqual(named.replies, ['J7 is yours. The customer is on +447911000007.']);
      const latest = await command('1', new StubbedActivities({ takeJob: async () => ({ outcome: 'none-open' }) }));
      assert.deepEqual(latest.stubs.of('takeJob')[0]!.job, { latest: true });
      assert.deepEqual(latest.replies, ['You have no job waiting to be taken.']);
      const taken = await command('J7', new StubbedActivities({ takeJob: async () => ({ outcome: 'already-taken', reference: 'J7', customerPhone: '+447911000007' }) }));
      assert.deepEqual(taken.replies, ['J7 was already taken. The customer is on +447911000007.']);
    });

    test('J7 DONE closes it; a job that is not theirs is named as missing', async () => {
      const done = await command('J7 done');
      assert.deepEqual(done.stubs.of('closeJob'), [{ clientId: CLIENT.id, number: 7, by: CLIENT.ownerPhone }]);
      assert.deepEqual(done.replies, ['J7 is closed.']);
      const missing = await command('J99 DONE', new StubbedActivities({ closeJob: async () => ({ outcome: 'no-such-job' }) }));
      assert.deepEqual(missing.replies, ['There is no job J99. Text HELP for the commands.']);
    });

    test('J7 <text> and J7 BOT go to the job\'s conversation, which confirms them; a closed or unknown job says nothing was sent', async () => {
      const relay = await command('J7 On my way, 20 mins');
      assert.deepEqual(relay.stubs.of('relayToJob'), [
        { clientId: CLIENT.id, number: 7, jobrunNumber: JOBRUN_NUMBER, by: CLIENT.ownerPhone, signal: { messageSid: relay.input.messageSid, receivedAt: relay.input.receivedAt, command: { kind: 'relay', text: 'On my way, 20 mins' } } },
      ]);
      assert.deepEqual(relay.replies, [], 'the conversation confirms it');
      const bot = await command('j7 bot');
      assert.deepEqual(bot.stubs.of('relayToJob')[0]!.signal.command, { kind: 'bot' });
      const closed = await command('J7 see you at 3', new StubbedActivities({ relayToJob: async () => ({ outcome: 'done', reference: 'J7' }) }));
      assert.deepEqual(closed.replies, ['J7 is closed, so nothing was sent. Text the customer directly if you need to.']);
    });
  });

  test('invariant: an ONBOARDING conversation on a client\'s number gets the technical-issue reply, the operator an alert', async () => {
    const stubs = new StubbedActivities({ recordInbound: stored({ mode: 'ONBOARDING' }) });
    const input = sms('hello?');
    assert.equal((await deliver(stubs, input)).outcome, 'invariant');
    assert.deepEqual(stubs.textsTo(input.from), [
      { idempotencyKey: `${input.messageSid}:invariant-reply`, purpose: 'guard', to: input.from, from: input.to, body: INVARIANT_REPLY, conversationId: 'conversation-row-1' },
    ]);
    assert.equal(stubs.alerts('INVARIANT_VIOLATION')[0]!.subject, CLIENT.id);
  });

  test('SystemGate: a paused client\'s customer is told to call the business, and nothing is forwarded', async () => {
    const paused = { ...CLIENT, outboundPaused: true, ownerPhone: '+447700900155' };
    const stubs = new StubbedActivities({ resolveNumber: async () => ({ role: 'CLIENT', client: paused }) });
    const input = sms('boiler broken');
    assert.equal((await deliver(stubs, input)).outcome, 'system-gate');
    assert.deepEqual(stubs.textsTo(input.from).map((t) => t.body), [systemGateReply('+447700900155')]);
    assert.equal(stubs.of('forwardToConversation').length, 0);
  });

  test('STOP to a number of no client gets no reply attempt (Twilio confirms it and blocks the rest); the operator still hears of the number', async () => {
    const stubs = new StubbedActivities({ resolveNumber: async () => ({ role: 'SYSTEM', reason: 'not-in-pool' }) });
    assert.equal((await deliver(stubs, sms('STOP'))).outcome, 'system-number');
    assert.equal(stubs.textsTo().length, 0);
    assert.equal(stubs.alerts('SMS_TO_UNASSIGNED_NUMBER').length, 1);
  });

  test('a number of no client: a polite reply from that number and an operator alert, nothing stored', async () => {
    const stubs = new StubbedActivities({ resolveNumber: async () => ({ role: 'SYSTEM', reason: 'unassigned' }) });
    const input = sms('hello?');
    const { outcome, attributes } = await deliver(stubs, input);
    assert.equal(outcome, 'system-number');
    assert.deepEqual(stubs.textsTo(input.from).map((t) => [t.from, t.body]), [[input.to, SYSTEM_NUMBER_REPLY]]);
    assert.match(stubs.alerts('SMS_TO_UNASSIGNED_NUMBER')[0]!.detail, /in the pool but assigned to no client/);
    assert.equal(stubs.of('recordInbound').length, 0);
    assert.equal(attributes.get(SA.numberRole), 'SYSTEM');
  });

  test('the onboarding number: handed to the sign-up; a phone that is already a client is told its number instead', async () => {
    const onboarding = new StubbedActivities({ resolveNumber: async () => ({ role: 'ONBOARDING' }) });
    const input = sms('Hi, I want to sign up');
    assert.equal((await deliver(onboarding, input)).outcome, 'onboarding');
    assert.deepEqual(onboarding.of('forwardToOnboarding'), [
      { phone: input.from, onboardingNumber: input.to, signal: { messageSid: input.messageSid, body: input.body, receivedAt: input.receivedAt } },
    ]);
    assert.equal(onboarding.textsTo().length, 0);

    const client = new StubbedActivities({
      resolveNumber: async () => ({ role: 'ONBOARDING' }),
      forwardToOnboarding: async () => ({ outcome: 'already-client', businessName: 'Existing Electrics', jobrunNumber: '+447700900777' }),
    });
    const again = sms('Hi');
    await deliver(client, again);
    assert.deepEqual(client.textsTo(again.from).map((t) => t.body), [alreadyClient('Existing Electrics', '+447700900777')]);
  });

  test('a step that fails for good fails the workflow and alerts the operator with the repair', async () => {
    const stubs = new StubbedActivities({
      resolveNumber: async () => {
        throw ApplicationFailure.nonRetryable('permission denied for table "TwilioNumberPool"', 'DatabaseError');
      },
    });
    const input = sms('hello');
    await rig.withStubs(stubs, async ({ starts }) => {
      await starts.inboundSms(input);
      await assert.rejects(rig.env.client.workflow.getHandle(input.messageSid).result());
    });
    const [alert] = stubs.alerts('WORKFLOW_FAILED');
    assert.equal(alert!.sourceKey, `${input.messageSid}:failed`);
    assert.match(alert!.detail, new RegExp(`Inbound SMS ${input.messageSid} could not be handled: .*permission denied.*temporal workflow reset`));
  });
});

describe('a missed call', () => {
  const client: NumberRole = { role: 'CLIENT', client: CLIENT };
  function call(number: NumberRole, over: Partial<MissedCallInput> = {}): MissedCallInput {
    n += 1;
    return { callSid: `CAintake${String(n).padStart(26, '0')}`, from: `+4479550000${String(n).padStart(2, '0')}`, to: JOBRUN_NUMBER, callStatus: 'no-answer', number, checkScreening: false, ...over };
  }
  async function ring(stubs: StubbedActivities, input: MissedCallInput) {
    return rig.withStubs(stubs, async ({ starts }) => {
      assert.equal(await starts.missedCall(input), 'started');
      assert.equal(await starts.missedCall(input), 'duplicate', 'the Dial action and the status callback are one call');
      return rig.env.client.workflow.getHandle<typeof missedCall>(input.callSid).result();
    });
  }

  test('on a client\'s number: the caller is texted back from it, naming the business, before anything waits on Postgres; then it is recorded', async () => {
    const stubs = new StubbedActivities();
    const input = call(client);
    assert.equal(await ring(stubs, input), 'texted-back');
    assert.deepEqual(stubs.calls.map((c) => c.name), ['textBackDecision', 'sendWithoutDatabase', 'recordTextBack', 'recordHandled']);
    const [sent] = stubs.of('sendWithoutDatabase');
    assert.deepEqual({ ...sent, notBefore: undefined }, { to: input.from, from: input.to, body: textBack('Ace Plumbing'), notBefore: undefined, purpose: 'textback' });
    const started = (await rig.env.client.workflow.getHandle(input.callSid).describe()).startTime.getTime();
    assert.equal(Date.parse(sent!.notBefore!), started - 60_000, 'Twilio is asked about texts since (a minute before) the workflow began');
    assert.deepEqual(stubs.of('recordTextBack'), [{ clientId: CLIENT.id, from: input.from, to: input.to, body: textBack('Ace Plumbing'), sid: 'SMstub0000000000000000000000000001', idempotencyKey: `${input.callSid}:textback` }]);
  });

  test('b. Postgres not answering whether the caller was texted lately: they are texted all the same', async () => {
    const stubs = new StubbedActivities({
      textBackDecision: async () => {
        throw new Error('Can\'t reach database server at 127.0.0.1:5432');
      },
    });
    const input = call(client);
    assert.equal(await ring(stubs, input), 'texted-back');
    assert.equal(stubs.of('textBackDecision').length, 2, 'two short tries');
    assert.equal(stubs.of('sendWithoutDatabase')[0]!.body, textBack('Ace Plumbing'));
  });

  for (const decision of ['cooldown', 'in-conversation', 'opted-out'] as const) {
    test(`k. no text-back when the caller is ${decision === 'cooldown' ? 'within TEXTBACK_COOLDOWN of the last one' : decision === 'in-conversation' ? 'already texting with the client' : 'opted out'}`, async () => {
      const stubs = new StubbedActivities({ textBackDecision: async () => decision });
      const input = call(client);
      assert.equal(await ring(stubs, input), decision);
      assert.equal(stubs.of('sendWithoutDatabase').length + stubs.of('sendSms').length, 0);
      assert.deepEqual(stubs.of('noteMissedCall'), decision === 'in-conversation' ? [{ clientId: CLIENT.id, from: input.from, to: input.to, callSid: input.callSid }] : []);
    });
  }

  test('a paused client\'s caller is asked to ring again later', async () => {
    const stubs = new StubbedActivities();
    const input = call({ role: 'CLIENT', client: { ...CLIENT, outboundPaused: true } });
    assert.equal(await ring(stubs, input), 'texted-back');
    assert.equal(stubs.of('sendWithoutDatabase')[0]!.body, pausedTextBack('Ace Plumbing', CLIENT.ownerPhone));
  });

  test('an answered leg whose tradesperson pressed 1 was answered: no text', async () => {
    const stubs = new StubbedActivities({ wasCallAccepted: async () => true });
    assert.equal(await ring(stubs, call(client, { callStatus: 'completed', checkScreening: true })), 'answered');
    assert.equal(stubs.textsTo().length, 0);
  });

  test('an answered leg nobody accepted (voicemail) is a missed call', async () => {
    const stubs = new StubbedActivities();
    assert.equal(await ring(stubs, call(client, { callStatus: 'completed', checkScreening: true })), 'texted-back');
    assert.equal(stubs.of('wasCallAccepted').length, 1);
  });

  test('a number of no client: the generic fail-safe text without the database, and the operator alerted', async () => {
    const stubs = new StubbedActivities();
    const input = call({ role: 'SYSTEM', reason: 'not-in-pool' });
    assert.equal(await ring(stubs, input), 'failsafe');
    assert.deepEqual(stubs.of('sendFailsafeSms').map((s) => ({ ...s, notBefore: undefined })), [{ to: input.from, calledNumber: input.to, body: FAILSAFE_TEXT, notBefore: undefined }]);
    assert.equal(stubs.of('recordMissedCall').length + stubs.of('sendSms').length, 0);
    assert.match(stubs.alerts('CALL_TO_UNASSIGNED_NUMBER')[0]!.detail, /belongs to no client \(not-in-pool\)/);
  });

  test('the onboarding number is not for customers: no text', async () => {
    const stubs = new StubbedActivities();
    assert.equal(await ring(stubs, call({ role: 'ONBOARDING' })), 'not-for-customers');
    assert.deepEqual(stubs.calls.map((c) => c.name), ['recordHandled'], 'nothing but the record that it was handled');
  });

  test('a caller Twilio will not text (21614): the operator is asked to ring them', async () => {
    const stubs = new StubbedActivities({
      sendWithoutDatabase: async () => {
        throw ApplicationFailure.nonRetryable("'To' number is not a valid mobile number (21614)", FailureType.TwilioPermanent);
      },
    });
    const input = call(client);
    assert.equal(await ring(stubs, input), 'text-failed');
    assert.match(stubs.alerts('SMS_SEND_FAILED')[0]!.detail, new RegExp(`call ${input.callSid} could not be sent .*Call the customer back`));
  });
});

describe('a delivery report', () => {
  async function report(stubs: StubbedActivities, status: 'delivered' | 'undelivered' | 'failed') {
    n += 1;
    const messageSid = `SMreport${String(n).padStart(26, '0')}`;
    await rig.withStubs(stubs, async ({ starts }) => {
      assert.equal(await starts.messageStatus({ messageSid, status, errorCode: status === 'delivered' ? null : '30003' }), 'started');
      await rig.env.client.workflow.getHandle<typeof messageStatus>(`message-status:${messageSid}:${status}`).result();
      assert.equal(await starts.messageStatus({ messageSid, status, errorCode: null }), 'duplicate', 'Twilio\'s retried callback');
    });
    return messageSid;
  }
  const ours = (purpose: string) => async () => ({ purpose, toNumber: CLIENT.ownerPhone, fromNumber: JOBRUN_NUMBER });

  test('a job alert the tradesperson never got alerts the operator', async () => {
    const stubs = new StubbedActivities({ recordDelivery: ours('escalation') });
    const sid = await report(stubs, 'undelivered');
    assert.deepEqual(stubs.of('recordDelivery'), [{ messageSid: sid, status: 'undelivered', errorCode: '30003' }]);
    const [alert] = stubs.alerts('SMS_UNDELIVERED');
    assert.equal(alert!.subject, CLIENT.ownerPhone);
    assert.match(alert!.detail, /A job escalation to the tradesperson was not delivered \(Twilio undelivered, error 30003\)\. Call them\./);
  });

  test('a report that cannot be recorded fails the workflow, and the operator is told how to repair it', async () => {
    n += 1;
    const messageSid = `SMreport${String(n).padStart(26, '0')}`;
    const stubs = new StubbedActivities({
      recordDelivery: async () => {
        throw ApplicationFailure.nonRetryable('value too long for type character varying(255)', FailureType.DatabaseData);
      },
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      await starts.messageStatus({ messageSid, status: 'failed', errorCode: '30008' });
      await assert.rejects(rig.env.client.workflow.getHandle(`message-status:${messageSid}:failed`).result());
    });
    const [alert] = stubs.alerts('WORKFLOW_FAILED');
    assert.match(alert!.detail, new RegExp(`Twilio's failed report for ${messageSid} could not be recorded \\(DatabaseDataError: value too long`));
  });

  test('delivered, a customer reply that failed, or a SID that is not ours: recorded, no alert', async () => {
    for (const [stubs, status] of [
      [new StubbedActivities({ recordDelivery: ours('summary') }), 'delivered'],
      [new StubbedActivities({ recordDelivery: ours('reply') }), 'failed'],
      [new StubbedActivities(), 'undelivered'],
    ] as const) {
      await report(stubs, status);
      assert.equal(stubs.of('recordDelivery').length, 1);
      assert.equal(stubs.alerts().length, 0, status);
    }
  });
});
