// The Temporal Schedule that runs a sweep over Twilio's log every
// RECOVERY_INTERVAL (workflows/recovery.ts). Made idempotently by every worker
// at start: created, or brought up to date; paused when there is no log to read.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { twilioRecovery } from '../../workflows';

export function recoveryScheduleId(taskQueue: string): string {
  return `twilio-recovery:${taskQueue}`;
}

export async function ensureRecoverySchedule(temporal: Client, opts: { taskQueue: string; intervalMs: number }): Promise<'created' | 'updated'> {
  const scheduleId = recoveryScheduleId(opts.taskQueue);
  const spec = { intervals: [{ every: opts.intervalMs }] };
  const action = { type: 'startWorkflow' as const, workflowType: twilioRecovery, workflowId: scheduleId, taskQueue: opts.taskQueue, args: [] as [] };
  // One sweep at a time; one that could not start on time is not made up for, the next reads the same log.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };
  try {
    await temporal.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = temporal.schedule.getHandle(scheduleId);
  await handle.update((prev) => ({ ...prev, spec, action, policies, state: { ...prev.state, paused: false } }));
  return 'updated';
}

/** Without Twilio credentials: a schedule left from a deploy that had them would fail every minute. */
export async function pauseRecoverySchedule(temporal: Client, taskQueue: string): Promise<void> {
  try {
    await temporal.schedule.getHandle(recoveryScheduleId(taskQueue)).pause('no Twilio credentials: no log to recover from');
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
