// One sweep over Twilio's log, started by a Temporal Schedule every
// RECOVERY_INTERVAL (src/temporal/recovery-schedule.ts): whatever reached
// Twilio but not JobRun (a Temporal outage, an API crash, a wrong webhook URL
// on a number, a bad auth token) is found and handled, once.
import { isCancellation } from '@temporalio/workflow';
import { db, recovery } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import type { SweepResult } from './shared/types';

export async function twilioRecovery(): Promise<SweepResult> {
  try {
    const sweep = await recovery.sweepTwilioLog();
    await db.saveRecoveryCheckpoint({ textsUntil: sweep.textsUntil, callsUntil: sweep.callsUntil });
    const { texts, calls } = sweep.recovered;
    if (texts + calls > 0) {
      await alertOperator('recovered', {
        kind: 'RECOVERED_FROM_TWILIO',
        subject: 'twilio-webhooks',
        detail: `${texts} text(s) and ${calls} call(s) reached Twilio but not JobRun's webhooks; they are being handled now. Check each number's webhook URLs in Twilio's console, and TWILIO_AUTH_TOKEN.`,
      });
    }
    return sweep;
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator('failed', {
      kind: 'RECOVERY_FAILED',
      subject: 'twilio-log',
      detail: `JobRun could not read Twilio's log (${describeFailure(err)}): texts and calls whose webhook fails are not being recovered. Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.`,
    });
    throw err;
  }
}
