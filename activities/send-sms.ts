import { ApplicationFailure } from '@temporalio/activity';
import { isUniqueViolation } from '../src/db';
import { maskPhone } from '../workflows/shared/phone-mask';
import { SmsSendError, isPermanentSmsError, type OutgoingSms } from '../src/twilio/sms-transport';
import { FailureType } from '../workflows/shared/failures';
import type { ActivityDeps } from './deps';
import { activityLogger, currentWorkflowId } from './deps';

interface SendSmsInput {
  /** Built in the workflow (workflow ID + step): the same key never texts twice. */
  idempotencyKey: string;
  purpose: 'reply' | 'guard' | 'nudge' | 'escalation' | 'summary' | 'alert' | 'failsafe';
  to: string;
  from: string;
  body: string;
  conversationId?: string;
}

interface SendSmsResult {
  sid: string;
  status: 'SENT' | 'SIMULATED' | 'DELIVERED' | 'SUPPRESSED';
  /** An earlier attempt had already reached Twilio; nothing was sent this time. */
  reconciled: boolean;
}

const UNSUBSCRIBED = 21610;

function ledgerFields(input: SendSmsInput, workflowId: string) {
  return {
    idempotencyKey: input.idempotencyKey,
    purpose: input.purpose,
    toNumber: input.to,
    fromNumber: input.from,
    body: input.body,
    conversationId: input.conversationId ?? null,
    workflowId,
  };
}

/** How far back a retry looks in Twilio's message list for its own first attempt. */
const RECONCILE_SLACK_MS = 60_000;

/**
 * Sends one SMS at most once per idempotency key. The ledger row is written
 * before the call to Twilio and completed after it; a retry that finds the
 * row still PENDING asks Twilio's Messages list whether the first attempt got
 * there before sending again.
 */
export function createSendSms({ db, sms, config, logger, metrics }: ActivityDeps) {
  const statusCallback = `${config.publicBaseUrl}/api/twilio/message-status`;

  async function complete(id: string, input: SendSmsInput, sid: string, status: 'SENT' | 'SIMULATED') {
    await db.outboundMessage.update({ where: { id }, data: { status, twilioSid: sid, sentAt: new Date() } });
    if (!input.conversationId) return;
    try {
      await db.message.create({
        data: {
          conversationId: input.conversationId,
          direction: 'OUTBOUND',
          twilioSid: sid,
          fromNumber: input.from,
          toNumber: input.to,
          body: input.body,
        },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  return async function sendSms(input: SendSmsInput): Promise<SendSmsResult> {
    const log = activityLogger(logger).child({ idempotencyKey: input.idempotencyKey, to: maskPhone(input.to), purpose: input.purpose });
    const outgoing: OutgoingSms = {
      to: input.to,
      from: input.from,
      body: input.body,
      ...(sms.simulated ? {} : { statusCallback }),
    };
    const workflowId = currentWorkflowId();

    let row = await db.outboundMessage.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    const count = (result: string) => metrics.outboundSms.inc({ purpose: input.purpose, result });
    if (row?.status === 'SUPPRESSED') return { sid: '', status: 'SUPPRESSED', reconciled: true };
    if (row && row.twilioSid && row.status !== 'PENDING' && row.status !== 'FAILED') {
      return { sid: row.twilioSid, status: row.status, reconciled: true };
    }
    if (!row && (await optedOut(input))) {
      await db.outboundMessage.create({
        data: { ...ledgerFields(input, workflowId), status: 'SUPPRESSED' },
      });
      log.info({ event: 'sms.suppressed_opted_out' }, 'not sent: the customer opted out');
      count('suppressed');
      return { sid: '', status: 'SUPPRESSED', reconciled: false };
    }
    if (row?.status === 'FAILED') {
      throw ApplicationFailure.nonRetryable(`SMS ${input.idempotencyKey} failed permanently before (${row.errorCode})`, FailureType.TwilioPermanent, { code: row.errorCode });
    }
    if (row && !sms.simulated) {
      // A previous attempt may have reached Twilio and then lost the answer.
      const known = await db.outboundMessage.findMany({
        where: { toNumber: input.to, fromNumber: input.from, twilioSid: { not: null } },
        select: { twilioSid: true },
        orderBy: { createdAt: 'desc' },
        take: 200,
      });
      const since = new Date(row.createdAt.getTime() - RECONCILE_SLACK_MS);
      const found = await findSentOrRetry(outgoing, since, new Set(known.map((k) => k.twilioSid!)));
      if (found) {
        await complete(row.id, input, found, 'SENT');
        log.warn({ event: 'sms.reconciled', sid: found }, 'earlier attempt had reached Twilio; not sending again');
        count('reconciled');
        return { sid: found, status: 'SENT', reconciled: true };
      }
    }
    if (!row) {
      try {
        row = await db.outboundMessage.create({ data: ledgerFields(input, workflowId) });
      } catch (err) {
        // Another attempt of the same step got there first: let Temporal retry into the checks above.
        if (isUniqueViolation(err)) throw ApplicationFailure.retryable('send ledger row raced', 'LedgerRace');
        throw err;
      }
    }
    await db.outboundMessage.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });

    try {
      const sent = await sms.send(outgoing);
      const status = sms.simulated ? 'SIMULATED' : 'SENT';
      await complete(row.id, input, sent.sid, status);
      count(status.toLowerCase());
      if (sms.simulated) {
        log.info({ event: 'sms.simulated', sid: sent.sid, from: input.from }, 'SMS kept in the local outbox (no Twilio credentials): see "OutboundMessage"');
        log.debug({ event: 'sms.simulated.body', sid: sent.sid, body: input.body }, 'outbox body');
      } else {
        log.info({ event: 'sms.sent', sid: sent.sid }, 'SMS sent');
      }
      return { sid: sent.sid, status, reconciled: false };
    } catch (err) {
      if (!(err instanceof SmsSendError)) throw err;
      if (isPermanentSmsError(err)) {
        await db.outboundMessage.update({ where: { id: row.id }, data: { status: 'FAILED', errorCode: String(err.code ?? err.status) } });
        log.error({ event: 'sms.failed_permanently', code: err.code, status: err.status }, 'Twilio refused the SMS; not retrying');
        count('failed');
        if (err.code === UNSUBSCRIBED) await recordOptOut(input);
        throw ApplicationFailure.nonRetryable(err.message, FailureType.TwilioPermanent, { code: err.code ?? null, status: err.status ?? null });
      }
      log.warn({ event: 'sms.send_failed', code: err.code, status: err.status }, 'SMS send failed; Temporal will retry');
      count('retrying');
      throw ApplicationFailure.retryable(err.message, 'TwilioTransientError');
    }
  };

  /** Texts to a customer (in a conversation) stop when they opt out; the tradesperson and the operator are never suppressed. */
  async function optedOut(input: SendSmsInput): Promise<boolean> {
    if (!input.conversationId) return false;
    const conversation = await db.conversation.findUnique({
      where: { id: input.conversationId },
      select: { customer: { select: { optedOutAt: true, phone: true } } },
    });
    return conversation?.customer.phone === input.to && conversation.customer.optedOutAt !== null;
  }

  /** Twilio's 21610: the recipient sent STOP to this sender; JobRun records it as theirs too. */
  async function recordOptOut(input: SendSmsInput) {
    await db.customer.updateMany({
      where: { phone: input.to, optedOutAt: null, client: { numbers: { some: { phoneNumber: input.from } } } },
      data: { optedOutAt: new Date() },
    });
  }

  async function findSentOrRetry(outgoing: OutgoingSms, since: Date, exclude: ReadonlySet<string>) {
    try {
      return await sms.findSent(outgoing, since, exclude);
    } catch (err) {
      // Without Twilio's answer, sending again could text twice: wait for the next attempt.
      throw ApplicationFailure.retryable(`cannot check Twilio for an earlier attempt: ${(err as Error).message}`, 'TwilioTransientError');
    }
  }
}
