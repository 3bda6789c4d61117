import { ApplicationFailure } from '@temporalio/activity';
import { isDataError, isUniqueViolation, type Db, type Prisma } from '../src/db';
import { FailureType } from '../workflows/shared/failures';
import { jobReference } from '../workflows/shared/job-reference';
import type { TurnResult } from '../workflows/shared/turn';
import type { ActivityDeps } from './deps';

export interface JobKey {
  clientId: string;
  customerId: string;
  conversationId: string;
}

interface SaveJobInput extends JobKey {
  result: TurnResult;
  /** When the tradesperson was first alerted (workflow time), if they were. */
  escalatedAt: string | null;
}

/**
 * The conversation's job, created with the client's next number if it has
 * none yet. The counter and the row change in one transaction, so a retry
 * that loses the race to a first attempt rolls back and reads that attempt's
 * row: numbers are never skipped or shared.
 */
export async function openJob(db: Db, { clientId, customerId, conversationId }: JobKey): Promise<{ id: string; number: number }> {
  const select = { id: true, number: true } as const;
  const existing = await db.job.findUnique({ where: { conversationId }, select });
  if (existing) return existing;
  try {
    return await db.$transaction(async (tx) => {
      const { nextJobNumber } = await tx.client.update({
        where: { id: clientId },
        data: { nextJobNumber: { increment: 1 } },
        select: { nextJobNumber: true },
      });
      return tx.job.create({ data: { clientId, customerId, conversationId, number: nextJobNumber - 1 }, select });
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return db.job.findUniqueOrThrow({ where: { conversationId }, select });
  }
}

/** Postgres refusing the data is not retried: the same row is refused again. */
export function permanentIfData(err: unknown): unknown {
  return isDataError(err) ? ApplicationFailure.nonRetryable(`the job could not be saved: ${(err as Error).message}`, FailureType.DatabaseData) : err;
}

export function createJobActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /** The job's reference (J and its number), opening the job if the conversation has none yet. */
    async openJob(key: JobKey): Promise<{ reference: string }> {
      try {
        return { reference: jobReference((await openJob(db, key)).number) };
      } catch (err) {
        throw permanentIfData(err);
      }
    },

    /** The job as qualified so far; retries converge on the same row. */
    async saveJob(input: SaveJobInput): Promise<string> {
      const { result } = input;
      const status = input.escalatedAt ? 'ESCALATED' : result.complete ? 'QUALIFIED' : 'QUALIFYING';
      try {
        const { id } = await openJob(db, input);
        await db.job.update({
          where: { id },
          data: {
            urgency: result.urgency,
            urgencyReason: result.urgencyReason,
            status,
            details: result.job as unknown as Prisma.InputJsonValue,
          },
        });
        // When the tradesperson was first told: later turns of an escalated job do not move it.
        if (input.escalatedAt) await db.job.updateMany({ where: { id, escalatedAt: null }, data: { escalatedAt: new Date(input.escalatedAt) } });
        return id;
      } catch (err) {
        throw permanentIfData(err);
      }
    },
  };
}
