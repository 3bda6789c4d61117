// JobRun's Temporal Schedules, made idempotently by every worker at start:
// created, or brought up to date. The sweep over Twilio's log every
// RECOVERY_INTERVAL (workflows/recovery.ts; paused when there is no log to
// read), and the evening digest at DIGEST_TIME, UK time (workflows/evening-digest.ts).
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { eveningDigest, twilioRecovery } from '../../workflows';

export function recoveryScheduleId(taskQueue: string): string {
  return `twilio-recovery:${taskQueue}`;
}

export function digestScheduleId(taskQueue: string): string {
  return `evening-digest:${taskQueue}`;
}

async function ensureSchedule(temporal: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await temporal.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const { spec, action, policies } = options;
  await temporal.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec, action, policies: { ...prev.policies, ...policies }, state: { ...prev.state, paused: false } }));
  return 'updated';
}

export function ensureRecoverySchedule(temporal: Client, opts: { taskQueue: string; intervalMs: number }): Promise<'created' | 'updated'> {
  const scheduleId = recoveryScheduleId(opts.taskQueue);
  return ensureSchedule(temporal, {
    scheduleId,
    spec: { intervals: [{ every: opts.intervalMs }] },
    action: { type: 'startWorkflow', workflowType: twilioRecovery, workflowId: scheduleId, taskQueue: opts.taskQueue, args: [] },
    // One sweep at a time; one that could not start on time is not made up for, the next reads the same log.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  });
}

/** Once a day at `hour:minute` UK time; a digest missed by an outage of under an hour is still sent. */
export function ensureDigestSchedule(temporal: Client, opts: { taskQueue: string; hour: number; minute: number }): Promise<'created' | 'updated'> {
  const scheduleId = digestScheduleId(opts.taskQueue);
  return ensureSchedule(temporal, {
    scheduleId,
    spec: { calendars: [{ hour: opts.hour, minute: opts.minute, comment: 'the evening digest' }], timezone: 'Europe/London' },
    action: { type: 'startWorkflow', workflowType: eveningDigest, workflowId: scheduleId, taskQueue: opts.taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** Without Twilio credentials: a schedule left from a deploy that had them would fail every minute. */
export async function pauseRecoverySchedule(temporal: Client, taskQueue: string): Promise<void> {
  try {
    await temporal.schedule.getHandle(recoveryScheduleId(taskQueue)).pause('no Twilio credentials: no log to recover from');
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
