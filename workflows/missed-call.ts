// A missed call becomes a text. The workflow ID is the CallSid, so Twilio's
// repeated callbacks (the Dial action and the call status) text once.
import { isCancellation, workflowInfo } from '@temporalio/workflow';
import type { MissedCallInput } from './shared/types';
import { calls, db, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { FAILSAFE_TEXT, pausedTextBack, textBack } from './voice-messages';

type MissedCallOutcome = 'answered' | 'failsafe' | 'texted-back' | 'not-for-customers' | 'text-failed';

export async function missedCall(input: MissedCallInput): Promise<MissedCallOutcome> {
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

  if (number.role === 'SYSTEM') {
    // No database before the text: this path must work with Postgres down.
    await sms.sendFailsafeSms({ to: input.from, calledNumber: input.to, body: FAILSAFE_TEXT });
    await alertOperator('alert', {
      kind: 'CALL_TO_UNASSIGNED_NUMBER',
      subject: input.to,
      detail: `A caller reached ${input.to}, which belongs to no client (${number.reason}); they got the generic fail-safe text. Assign the number to a client in TwilioNumberPool.`,
      fromHint: input.to,
    });
    return 'failsafe';
  }

  const { client } = number;
  const { conversationId } = await db.recordMissedCall({ clientId: client.id, from: input.from });
  await sms.sendSms({
    idempotencyKey: `${wfId}:textback`,
    purpose: 'reply',
    to: input.from,
    from: input.to,
    body: client.outboundPaused ? pausedTextBack(client.businessName, client.ownerPhone) : textBack(client.businessName),
    conversationId,
  });
  return 'texted-back';
}
