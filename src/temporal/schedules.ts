// JobRun's Temporal Schedules, made idempotently by every worker at start:
// created, or brought up to date. The sweep over Twilio's log every
// RECOVERY_INTERVAL (workflows/recovery.ts; paused when there is no log to
// read), the evening digest at DIGEST_TIME, UK time (workflows/evening-digest.ts), and
// each morning the pool's numbers checked at Twilio (workflows/number-check.ts), and
// each night the retention of texts and job details (workflows/retention.ts).
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { eveningDigest, numberCheck, retention, twilioRecovery } from '../../workflows';

export function recoveryScheduleId(taskQueue: string): string {
  return `twilio-recovery:${taskQueue}`;
}

export function digestScheduleId(taskQueue: string): string {
  return `evening-digest:${taskQueue}`;
}

export function retentionScheduleId(taskQueue: string): string {
  return `retention:${taskQueue}`;
}

export function numberCheckScheduleId(taskQueue: string): string {
  return `number-check:${taskQueue}`;
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

/** Every morning at 07:00 UK time, before the day's calls: the pool's numbers at Twilio, against JobRun's webhooks. */
export function ensureNumberCheckSchedule(temporal: Client, taskQueue: string): Promise<'created' | 'updated'> {
  const scheduleId = numberCheckScheduleId(taskQueue);
  return ensureSchedule(temporal, {
    scheduleId,
    spec: { calendars: [{ hour: 7, minute: 0, comment: "the pool's numbers at Twilio" }], timezone: 'Europe/London' },
    action: { type: 'startWorkflow', workflowType: numberCheck, workflowId: scheduleId, taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}

/** Every night at 03:30 UK time: what is older than RETENTION_DAYS is anonymised. */
export function ensureRetentionSchedule(temporal: Client, taskQueue: string, days: number): Promise<'created' | 'updated'> {
  const scheduleId = retentionScheduleId(taskQueue);
  return ensureSchedule(temporal, {
    scheduleId,
    spec: { calendars: [{ hour: 3, minute: 30, comment: 'retention' }], timezone: 'Europe/London' },
    action: { type: 'startWorkflow', workflowType: retention, workflowId: scheduleId, taskQueue, args: [{ days }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
  });
}

/** Without Twilio credentials: a schedule left from a deploy that had them would fail at every run. */
async function pauseSchedule(temporal: Client, scheduleId: string, why: string): Promise<void> {
  try {
    await temporal.schedule.getHandle(scheduleId).pause(why);
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

export function pauseRecoverySchedule(temporal: Client, taskQueue: string): Promise<void> {
  return pauseSchedule(temporal, recoveryScheduleId(taskQueue), 'no Twilio credentials: no log to recover from');
}

export function pauseNumberCheckSchedule(temporal: Client, taskQueue: string): Promise<void> {
  return pauseSchedule(temporal, numberCheckScheduleId(taskQueue), 'no Twilio credentials: no numbers to check');
}
