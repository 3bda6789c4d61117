import { ApplicationFailure } from '@temporalio/activity';
import { Refusal } from '../src/admin/refusal';
import type { NumberDrift } from '../src/twilio/number-webhooks';
import { FailureType } from '../workflows/shared/failures';
import type { ActivityDeps } from './deps';

export function createNumberCheckActivities({ db, numberWebhooks }: Pick<ActivityDeps, 'db' | 'numberWebhooks'>) {
  return {
    /** Every pool number whose webhooks at Twilio are not JobRun's. */
    async numberDrift(): Promise<NumberDrift[]> {
      if (!numberWebhooks) throw ApplicationFailure.nonRetryable('no Twilio credentials: there are no numbers to check', FailureType.TwilioPermanent);
      const pool = await db.twilioNumberPool.findMany({ select: { phoneNumber: true }, orderBy: { phoneNumber: 'asc' } });
      try {
        return await numberWebhooks.drift(pool.map((n) => n.phoneNumber));
      } catch (err) {
        // Twilio refusing or down: retried by Temporal; the refusal's words are the operator's to read.
        if (err instanceof Refusal) throw ApplicationFailure.retryable(err.message, 'TwilioTransientError');
        throw err;
      }
    },
  };
}
