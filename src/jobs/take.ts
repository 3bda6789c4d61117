// Taking a job, from whichever phone and however (a text, 1 pressed on the
// escalation call): the job is marked taken once, and its escalation chain,
// if one is running, stops.
import type { Db } from '../db';
import type { Logger } from '../logger';
import type { Starts } from '../temporal/starts';
import { jobReference } from '../../workflows/shared/job-reference';
import type { JobHandle } from '../../workflows/tradesperson-commands';
import type { JobTaken } from '../../workflows/shared/types';

export type TakeOutcome =
  | { outcome: 'taken' | 'already-taken' | 'done'; reference: string; customerPhone: string }
  | { outcome: 'no-such-job' | 'none-open' };

export interface TakeInput {
  clientId: string;
  job: JobHandle;
  /** The phone that took it, and when: a retried take finds its own mark. */
  by: string;
  at: string;
}

const include = { customer: { select: { phone: true } } } as const;

/** A job by number, or for "1" the newest not yet taken, escalated ones first: "1" answers the alert that asked for it. */
export function findJob(db: Db, clientId: string, job: JobHandle) {
  if ('latest' in job) {
    return db.job.findFirst({
      where: { clientId, progress: 'NEW' },
      orderBy: [{ escalatedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }, { number: 'desc' }],
      include,
    });
  }
  return db.job.findUnique({ where: { clientId_number: { clientId, number: job.number } }, include });
}

/**
 * Stops the job's escalation chain, if one runs. Best done at once, but not
 * worth failing the take for: a chain that does not hear finds the job
 * taken in the database before its next step.
 */
export async function stopChain(starts: Pick<Starts, 'jobTaken'>, logger: Logger, jobId: string, taken: JobTaken): Promise<void> {
  try {
    await starts.jobTaken(jobId, taken);
  } catch (err) {
    logger.warn({ event: 'escalation.chain_not_told', jobId, error: (err as Error).message }, 'the job is taken; its chain will find out from the database');
  }
}

/** Takes a job that nobody has taken yet; a take retried after it succeeded finds it taken by itself. */
export async function takeJob(db: Db, starts: Pick<Starts, 'jobTaken'>, logger: Logger, input: TakeInput, via: JobTaken['via']): Promise<TakeOutcome> {
  const job = await findJob(db, input.clientId, input.job);
  if (!job) return { outcome: 'latest' in input.job ? 'none-open' : 'no-such-job' };
  const found = { reference: jobReference(job.number), customerPhone: job.customer.phone };
  if (job.progress === 'DONE') return { outcome: 'done', ...found };
  const at = new Date(input.at);
  const took = await db.job.updateMany({ where: { id: job.id, progress: 'NEW' }, data: { progress: 'TAKEN', takenAt: at, takenBy: input.by } });
  let itself = took.count === 1;
  if (!itself) {
    const now = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { takenAt: true, takenBy: true } });
    itself = now.takenBy === input.by && now.takenAt?.getTime() === at.getTime();
  }
  if (itself) await stopChain(starts, logger, job.id, { by: input.by, via });
  return { outcome: itself ? 'taken' : 'already-taken', ...found };
}
