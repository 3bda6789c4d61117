// One inbound SMS, from webhook to hand-over. Its workflow ID is Twilio's
// MessageSid, so a replayed webhook starts nothing new.
import { isCancellation, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { db, onboardingDb, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { INVARIANT_REPLY, SYSTEM_NUMBER_REPLY, TRADESPERSON_HELP, optedOutNotice, systemGateReply } from './guard-messages';
import { alreadyClient } from './onboarding-messages';
import { parseTradespersonCommand } from './tradesperson-commands';
import { COMMANDS_HELP, NOT_A_COMMAND, closeReply, pauseReply, relayRefusal, takeReply } from './tradesperson-replies';
import { OPT_IN_WORDS, OPT_OUT_WORDS, isOptOut, keyword } from './shared/keywords';
import { SA } from './shared/search-attributes';
import type { ClientSnapshot, InboundSmsInput } from './shared/types';

type InboundOutcome = 'forwarded' | 'already-forwarded' | 'opted-out' | 'system-number' | 'onboarding' | 'invariant' | 'system-gate' | 'tradesperson';

export async function inboundSms(input: InboundSmsInput): Promise<InboundOutcome> {
  try {
    const outcome = await handle(input);
    // For the recovery sweep, once Temporal's retention has forgotten this workflow (runs from before did not record it).
    if (patched('record-handled')) await db.recordHandled({ sid: input.messageSid, kind: 'SMS', outcome });
    return outcome;
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator('failed', {
      kind: 'WORKFLOW_FAILED',
      subject: input.to,
      detail: `Inbound SMS ${input.messageSid} could not be handled: ${describeFailure(err)}. Repair it with temporal workflow reset.`,
      fromHint: input.to,
    });
    throw err;
  }
}

/** A text from the tradesperson's own phone, as a command; returns what to text back, if anything. */
async function carryOut(input: InboundSmsInput, client: ClientSnapshot): Promise<string | null> {
  const command = parseTradespersonCommand(input.body);
  switch (command.kind) {
    case 'help':
      return COMMANDS_HELP;
    case 'pause':
    case 'resume': {
      const paused = command.kind === 'pause';
      const { changed } = await db.setClientPaused({ clientId: client.id, paused });
      return pauseReply(paused, changed, client.ownerPhone);
    }
    case 'take':
      return takeReply(command, await db.takeJob({ clientId: client.id, job: command.job, by: input.from, at: input.receivedAt }));
    case 'done':
      return closeReply(command.job.number, await db.closeJob({ clientId: client.id, number: command.job.number, by: input.from }));
    case 'relay':
    case 'bot': {
      const signal = { messageSid: input.messageSid, receivedAt: input.receivedAt, command: command.kind === 'relay' ? { kind: 'relay' as const, text: command.text } : { kind: 'bot' as const } };
      const r = await db.relayToJob({ clientId: client.id, number: command.job.number, jobrunNumber: input.to, by: input.from, signal });
      return relayRefusal(command.job.number, r);
    }
    case 'unknown':
      return NOT_A_COMMAND;
  }
}

async function handle(input: InboundSmsInput): Promise<InboundOutcome> {
  const wfId = workflowInfo().workflowId;
  const reply = (step: string, body: string, conversationId?: string) =>
    sms.sendSms({ idempotencyKey: `${wfId}:${step}`, purpose: 'guard', to: input.from, from: input.to, body, conversationId });

  const number = await db.resolveNumber(input.to);
  upsertSearchAttributes([
    { key: SA.numberRole, value: number.role },
    ...(number.role === 'CLIENT' ? [{ key: SA.clientId, value: number.client.id }] : []),
  ]);

  if (number.role === 'SYSTEM') {
    // STOP and the like get no reply attempt: Twilio confirms them, and blocks anything else (runs from before did reply).
    const optingOut = isOptOut(input.body) && patched('no-reply-to-opt-out');
    if (!optingOut) await reply('system-reply', SYSTEM_NUMBER_REPLY);
    await alertOperator('alert', {
      kind: 'SMS_TO_UNASSIGNED_NUMBER',
      subject: input.to,
      detail: `A customer texted ${input.to}, which is ${number.reason === 'unassigned' ? 'in the pool but assigned to no client' : 'not in the number pool'}. Assign it to a client.`,
      fromHint: input.to,
    });
    return 'system-number';
  }

  // A tradesperson signing up by text: their onboarding workflow asks the questions,
  // unless their phone already belongs to a client.
  if (number.role === 'ONBOARDING') {
    const handed = await onboardingDb.forwardToOnboarding({
      phone: input.from,
      onboardingNumber: input.to,
      signal: { messageSid: input.messageSid, body: input.body, receivedAt: input.receivedAt },
    });
    if (handed.outcome === 'already-client') await reply('onboarding-already-client', alreadyClient(handed.businessName, handed.jobrunNumber));
    return 'onboarding';
  }

  const { client } = number;
  // The tradesperson's own phone is never one of their customers (runs from before did qualify it).
  // Their backup phone's texts are commands too (runs from before had no backup phone).
  const theirs = input.from === client.ownerPhone || (!!client.backupPhone && input.from === client.backupPhone && patched('backup-phone'));
  if (theirs && patched('tradesperson-own-phone')) {
    // Their texts are commands (runs from before answered every one with the same help).
    if (patched('tradesperson-commands')) {
      const answer = await carryOut(input, client);
      if (answer) await reply('tradesperson-reply', answer);
    } else await reply('tradesperson-help', TRADESPERSON_HELP);
    return 'tradesperson';
  }
  const stored = await db.recordInbound({
    messageSid: input.messageSid,
    clientId: client.id,
    from: input.from,
    to: input.to,
    body: input.body,
    receivedAt: input.receivedAt,
  });
  if (stored.alreadyForwarded) return 'already-forwarded';

  // STOP and START are the customer's to give; Twilio itself confirms them to the customer.
  // Runs from before 'keyword-normalised' read "Stop." as a text, not as STOP.
  const word = patched('keyword-normalised') ? keyword(input.body) : input.body.trim().toUpperCase();
  if (OPT_OUT_WORDS.has(word)) {
    if (!stored.optedOut) await db.setOptOut({ customerId: stored.customerId, optedOut: true });
    return 'opted-out';
  }
  if (stored.optedOut) {
    if (OPT_IN_WORDS.has(word)) {
      await db.setOptOut({ customerId: stored.customerId, optedOut: false });
    } else if (patched('opted-out-notice')) {
      // JobRun may not text them, but a person may ring them: the tradesperson hears what they wrote.
      await sms.sendSms({
        idempotencyKey: `${workflowInfo().workflowId}:opted-out-notice`,
        purpose: 'summary',
        to: client.ownerPhone,
        from: input.to,
        body: optedOutNotice(input.from, input.body),
      });
    }
    return 'opted-out';
  }

  // The invariant: an operational number never talks onboarding to a customer.
  if (stored.mode === 'ONBOARDING') {
    await reply('invariant-reply', INVARIANT_REPLY, stored.conversationId);
    await alertOperator('alert', {
      kind: 'INVARIANT_VIOLATION',
      subject: client.id,
      detail: `Conversation ${stored.conversationId} on ${client.businessName}'s number is in ONBOARDING mode; the customer got the technical-issue reply.`,
      fromHint: input.to,
    });
    return 'invariant';
  }

  // SystemGate: a paused client gets no AI conversation, the customer a way to reach them.
  if (client.outboundPaused) {
    await reply('system-gate-reply', systemGateReply(client.ownerPhone), stored.conversationId);
    return 'system-gate';
  }

  await db.forwardToConversation({
    clientId: client.id,
    customerId: stored.customerId,
    conversationId: stored.conversationId,
    customerPhone: input.from,
    jobrunNumber: input.to,
    signal: { messageSid: input.messageSid, body: input.body, receivedAt: input.receivedAt, client },
  });
  return 'forwarded';
}
