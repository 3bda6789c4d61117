// Once a day at DIGEST_TIME (a Temporal Schedule, src/temporal/schedules.ts):
// every client with jobs that day gets one text listing them and those not
// yet taken. The idempotency key is the client and the UK date, so however
// often the day's run is retried, restarted or started again, each client
// gets one digest a day.
import { isCancellation } from '@temporalio/workflow';
import { db, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { digestText } from './digest-text';
import { londonDay } from './quiet-hours';

export async function eveningDigest(): Promise<{ day: string; sent: number }> {
  const { day, startMs } = londonDay(Date.now());
  const digests = await db.dayDigests({ from: new Date(startMs).toISOString(), to: new Date(Date.now()).toISOString() });
  let sent = 0;
  for (const d of digests) {
    try {
      await sms.sendSms({ idempotencyKey: `digest:${d.clientId}:${day}`, purpose: 'summary', to: d.ownerPhone, from: d.jobrunNumber, body: digestText(d) });
      sent += 1;
    } catch (err) {
      if (isCancellation(err)) throw err;
      await alertOperator(`digest-alert:${d.clientId}`, {
        kind: 'SMS_SEND_FAILED',
        subject: d.clientId,
        detail: `The evening digest for ${d.businessName} (${day}) could not be sent (${describeFailure(err)}).`,
        fromHint: d.jobrunNumber,
      });
    }
  }
  return { day, sent };
}
