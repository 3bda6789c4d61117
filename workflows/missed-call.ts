// A missed call becomes a text. The workflow ID is the CallSid, so Twilio's
// repeated callbacks (the Dial action and the call status) text once.
import { isCancellation, patched, workflowInfo } from '@temporalio/workflow';
import { calls, db, dbIfUp, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import type { MissedCallInput } from './shared/types';
import { FAILSAFE_TEXT, lateCallText, pausedTextBack, textBack } from './voice-messages';

type MissedCallOutcome =
  | 'answered'
  | 'failsafe'
  | 'texted-back'
  | 'not-for-customers'
  | 'text-failed'
  | 'late-told-tradesperson'
  | 'late-told-operator'
  | 'cooldown'
  | 'in-conversation'
  | 'opted-out';

export async function missedCall(input: MissedCallInput): Promise<MissedCallOutcome> {
  const outcome = await textTheCallerOrSay(input);
  // For the recovery sweep, once Temporal's retention has forgotten this workflow (runs from before did not record it).
  if (patched('record-handled')) await db.recordHandled({ sid: input.callSid, kind: 'CALL', outcome });
  return outcome;
}

async function textTheCallerOrSay(input: MissedCallInput): Promise<MissedCallOutcome> {
  try {
    return await textTheCaller(input);
  } catch (err) {
    if (isCancellation(err)) throw err;
    // The caller is out of reach by text (say 21614, not a mobile): a person must call them.
    await alertOperator('failed', {
      kind: 'SMS_SEND_FAILED',
      subject: input.to,
      detail: `The missed-call text for call ${input.callSid} could not be sent (${describeFailure(err)}). Call the customer back.`,
      fromHint: input.to,
    });
    return 'text-failed';
  }
}

async function textTheCaller(input: MissedCallInput): Promise<MissedCallOutcome> {
  const wfId = workflowInfo().workflowId;
  if (input.checkScreening && (await calls.wasCallAccepted(input.callSid))) return 'answered';

  const { number } = input;
  if (number.role === 'ONBOARDING') return 'not-for-customers';

  // Found in Twilio's log hours late: a text now would puzzle the caller; a person rings them instead.
  if (input.late && number.role === 'SYSTEM') {
    await alertOperator('late-call', {
      kind: 'CALL_TO_UNASSIGNED_NUMBER',
      subject: input.to,
      detail: `A caller rang ${input.to}, which belongs to no client, at ${input.late.calledAt}; JobRun learnt of it too late to text them back. Call them, and assign the number.`,
      fromHint: input.to,
    });
    return 'late-told-operator';
  }
  if (input.late && number.role === 'CLIENT') {
    await sms.sendSms({
      idempotencyKey: `${wfId}:late-call`,
      purpose: 'summary',
      to: number.client.ownerPhone,
      from: input.to,
      body: lateCallText(number.client.businessName, input.from, input.late.calledAt),
    });
    return 'late-told-tradesperson';
  }

  // Since the workflow began, not the run: `temporal workflow reset` starts a run that must not text again.
  const notBefore = new Date(workflowInfo().startTime.getTime() - 60_000).toISOString();
  if (number.role === 'SYSTEM') {
    // No database before the text: this path must work with Postgres down.
    await sms.sendFailsafeSms({ to: input.from, calledNumber: input.to, body: FAILSAFE_TEXT, notBefore });
    await alertOperator('alert', {
      kind: 'CALL_TO_UNASSIGNED_NUMBER',
      subject: input.to,
      detail: `A caller reached ${input.to}, which belongs to no client (${number.reason}); they got the generic fail-safe text. Assign the number to a client in TwilioNumberPool.`,
      fromHint: input.to,
    });
    return 'failsafe';
  }

  const { client } = number;
  const body = client.outboundPaused ? pausedTextBack(client.businessName, client.ownerPhone) : textBack(client.businessName);
  // The text-back does not wait on Postgres: it goes out first and is recorded once Postgres answers
  // (runs from before stored the caller first).
  if (patched('textback-before-db')) {
    const decision = await textBackDecision(client.id, input.from);
    if (decision === 'in-conversation') await db.noteMissedCall({ clientId: client.id, from: input.from, to: input.to, callSid: input.callSid });
    if (decision !== 'text') return decision;
    const sent = await sms.sendWithoutDatabase({ to: input.from, from: input.to, body, notBefore, purpose: 'textback' });
    await db.recordTextBack({ clientId: client.id, from: input.from, to: input.to, body, sid: sent.sid, idempotencyKey: `${wfId}:textback` });
    return 'texted-back';
  }
  const { conversationId } = await db.recordMissedCall({ clientId: client.id, from: input.from });
  await sms.sendSms({
    idempotencyKey: `${wfId}:textback`,
    purpose: 'reply',
    to: input.from,
    from: input.to,
    body,
    conversationId,
  });
  return 'texted-back';
}

/** Without an answer from Postgres the caller is texted: a second text is better than none. */
async function textBackDecision(clientId: string, from: string) {
  try {
    return await dbIfUp.textBackDecision({ clientId, from });
  } catch (err) {
    if (isCancellation(err)) throw err;
    return 'text' as const;
  }
}
