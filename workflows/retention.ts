// Once a day (a Temporal Schedule, src/temporal/schedules.ts): what customers
// wrote and were told, and the details of their jobs, are anonymised once
// older than RETENTION_DAYS, in bounded batches so that no statement holds a
// large table for long. Jobs keep their reference, dates, urgency and outcome.
import { isCancellation } from '@temporalio/workflow';
import { retentionDb } from './activity-options';
import { alertOperator, describeFailure } from './alerts';

/** A run stops after this many batches; the next day's run goes on from there. */
const MAX_BATCHES = 200;

export async function retention(input: { days: number; batch?: number }): Promise<{ cutoff: string; rows: number; complete: boolean }> {
  const cutoff = new Date(Date.now() - input.days * 86_400_000).toISOString();
  const batch = input.batch ?? 500;
  let rows = 0;
  try {
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await retentionDb.expireBatch({ cutoff, limit: batch });
      rows += n;
      if (n < batch) return { cutoff, rows, complete: true };
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    // What is older than the promise stays until the cause is fixed: the operator must know.
    await alertOperator('retention-failed', {
      kind: 'WORKFLOW_FAILED',
      subject: 'retention',
      detail: `The nightly retention stopped after ${rows} rows (${describeFailure(err)}); fix the cause, then: temporal schedule trigger --schedule-id retention:<task queue>.`,
    });
    throw err;
  }
  return { cutoff, rows, complete: false };
}
