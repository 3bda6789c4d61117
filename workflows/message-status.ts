// Twilio's final delivery report for an outbound SMS. A text to a
// tradesperson that never arrived is an alert: they do not know about a job.
import type { DeliveryReport } from './shared/types';
import { db } from './activity-options';
import { alertOperator } from './alerts';

export async function messageStatus(report: DeliveryReport): Promise<void> {
  const message = await db.recordDelivery(report);
  if (!message || report.status === 'delivered') return;
  if (message.purpose === 'escalation' || message.purpose === 'summary') {
    await alertOperator('undelivered-alert', {
      kind: 'SMS_UNDELIVERED',
      subject: message.toNumber,
      detail: `A job ${message.purpose} to the tradesperson was not delivered (Twilio ${report.status}, error ${report.errorCode ?? 'none'}). Call them.`,
      fromHint: message.fromNumber,
    });
  }
}
