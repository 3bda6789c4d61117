// Twilio's final delivery report for an outbound SMS. A text to a
// tradesperson that never arrived is an alert: they do not know about a job.
import type { DeliveryReport } from './shared/types';
import { isCancellation, patched } from '@temporalio/workflow';
import { db } from './activity-options';
import { alertOperator, describeFailure } from './alerts';

export async function messageStatus(report: DeliveryReport): Promise<void> {
  try {
    await recordAndAlert(report);
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Runs from before failed without a word.
    if (patched('alert-on-failure')) {
      await alertOperator('failed', {
        kind: 'WORKFLOW_FAILED',
        subject: report.messageSid,
        detail: `Twilio's ${report.status} report for ${report.messageSid} could not be recorded (${describeFailure(err)}). Repair it with temporal workflow reset.`,
      });
    }
    throw err;
  }
}

async function recordAndAlert(report: DeliveryReport): Promise<void> {
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
