import { ApplicationFailure, Context } from '@temporalio/activity';
import { maskPhone } from '../workflows/shared/phone-mask';
import { SmsSendError, isPermanentSmsError } from '../src/twilio/sms-transport';
import { FailureType } from '../workflows/shared/failures';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

interface TextInput {
  to: string;
  from: string;
  body: string;
  /**
   * When the workflow began (ISO): a text Twilio holds from since then is this
   * one, sent by an earlier attempt or by a run that was reset.
   */
  notBefore?: string;
  /** For the logs: what the text is for. */
  purpose: 'failsafe' | 'textback';
}

interface FailsafeSmsInput {
  to: string;
  /** The number the caller dialled; SYSTEM_SMS_NUMBER wins when set. */
  calledNumber: string;
  body: string;
  notBefore?: string;
}

/**
 * Texts that must go out while Postgres is down (the SYSTEM fail-safe, a
 * missed call's text-back), sent without the send ledger. Exactly once all
 * the same: every attempt first asks Twilio's Messages list whether an
 * earlier attempt, or a run since reset, got there.
 */
export function createSendWithoutDatabase({ sms, config, logger }: ActivityDeps) {
  async function sendWithoutDatabase(input: TextInput): Promise<{ sid: string; reconciled: boolean }> {
    const info = Context.current().info;
    const log = activityLogger(logger).child({ to: maskPhone(input.to), purpose: input.purpose });
    const outgoing = { to: input.to, from: input.from, body: input.body };
    try {
      const since = input.notBefore ? new Date(input.notBefore) : info.attempt > 1 ? new Date(info.scheduledTimestampMs - 60_000) : null;
      if (since && !sms.simulated) {
        const found = await sms.findSent(outgoing, since, new Set());
        if (found) {
          log.warn({ event: 'sms.reconciled', sid: found }, 'earlier attempt had reached Twilio; not sending again');
          return { sid: found, reconciled: true };
        }
      }
      const sent = await sms.send(outgoing);
      log.info({ event: sms.simulated ? 'sms.simulated' : 'sms.sent', sid: sent.sid }, `${input.purpose} SMS sent`);
      return { sid: sent.sid, reconciled: false };
    } catch (err) {
      if (!(err instanceof SmsSendError)) throw err;
      if (isPermanentSmsError(err)) {
        throw ApplicationFailure.nonRetryable(err.message, FailureType.TwilioPermanent, { code: err.code ?? null });
      }
      throw ApplicationFailure.retryable(err.message, 'TwilioTransientError');
    }
  }

  return {
    sendWithoutDatabase,
    /** The SYSTEM fail-safe text, from SYSTEM_SMS_NUMBER when set, else the number the caller dialled. */
    sendFailsafeSms: (input: FailsafeSmsInput) =>
      sendWithoutDatabase({ to: input.to, from: config.systemSmsNumber ?? input.calledNumber, body: input.body, notBefore: input.notBefore, purpose: 'failsafe' }),
  };
}
