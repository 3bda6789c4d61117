import { ApplicationFailure } from '@temporalio/activity';
import { isDataError, type Prisma } from '../src/db';
import { FailureType } from '../workflows/shared/failures';
import type { TurnResult } from '../workflows/shared/turn';
import type { ActivityDeps } from './deps';

interface SaveJobInput {
  clientId: string;
  customerId: string;
  conversationId: string;
  result: TurnResult;
  /** When the tradesperson was first alerted (workflow time), if they were. */
  escalatedAt: string | null;
}

/** The job as qualified so far; an upsert, so retries converge on the same row. */
export function createSaveJob({ db }: ActivityDeps) {
  return async function saveJob(input: SaveJobInput): Promise<string> {
    const { result } = input;
    const status = input.escalatedAt ? 'ESCALATED' : result.complete ? 'QUALIFIED' : 'QUALIFYING';
    const data = {
      urgency: result.urgency,
      urgencyReason: result.urgencyReason,
      status,
      details: result.job as unknown as Prisma.InputJsonValue,
      escalatedAt: input.escalatedAt ? new Date(input.escalatedAt) : null,
    } as const;
    try {
      const job = await db.job.upsert({
        where: { conversationId: input.conversationId },
        create: { clientId: input.clientId, customerId: input.customerId, conversationId: input.conversationId, ...data },
        update: data,
      });
      return job.id;
    } catch (err) {
      if (isDataError(err)) throw ApplicationFailure.nonRetryable(`the job could not be saved: ${(err as Error).message}`, FailureType.DatabaseData);
      throw err;
    }
  };
}
