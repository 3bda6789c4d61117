import { ApplicationFailure, Context } from '@temporalio/activity';
import { maskPhone } from '../workflows/shared/phone-mask';
import { SmsSendError, isPermanentSmsError } from '../src/twilio/sms-transport';
import { FailureType } from '../workflows/shared/failures';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

interface FailsafeSmsInput {
  to: string;
  /** The number the caller dialled; SYSTEM_SMS_NUMBER wins when set. */
  calledNumber: string;
  body: string;
}

/**
 * The SYSTEM fail-safe text, sent without touching the database so that it
 * works when the database is down. Exactly once without a ledger: a retry
 * first asks Twilio's Messages list whether an earlier attempt got there.
 */
export function createSendFailsafeSms({ sms, config, logger }: ActivityDeps) {
  return async function sendFailsafeSms(input: FailsafeSmsInput): Promise<{ sid: string; reconciled: boolean }> {
    const info = Context.current().info;
    const log = activityLogger(logger).child({ to: maskPhone(input.to), purpose: 'failsafe' });
    const outgoing = { to: input.to, from: config.systemSmsNumber ?? input.calledNumber, body: input.body };
    try {
      if (info.attempt > 1 && !sms.simulated) {
        const since = new Date(info.scheduledTimestampMs - 60_000);
        const found = await sms.findSent(outgoing, since, new Set());
        if (found) {
          log.warn({ event: 'sms.reconciled', sid: found }, 'earlier attempt had reached Twilio; not sending again');
          return { sid: found, reconciled: true };
        }
      }
      const sent = await sms.send(outgoing);
      log.info({ event: sms.simulated ? 'sms.simulated' : 'sms.sent', sid: sent.sid }, 'fail-safe SMS sent');
      return { sid: sent.sid, reconciled: false };
    } catch (err) {
      if (!(err instanceof SmsSendError)) throw err;
      if (isPermanentSmsError(err)) {
        throw ApplicationFailure.nonRetryable(err.message, FailureType.TwilioPermanent, { code: err.code ?? null });
      }
      throw ApplicationFailure.retryable(err.message, 'TwilioTransientError');
    }
  };
}
