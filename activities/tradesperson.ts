// What the tradesperson's commands change: the SystemGate switch, and their
// jobs' progress. Each answers with what it found, for the reply to say.
import { setOutboundPaused } from '../src/system-gate';
import { jobReference } from '../workflows/shared/job-reference';
import type { JobHandle } from '../workflows/tradesperson-commands';
import type { TradespersonSignal } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';

export type TakeOutcome =
  | { outcome: 'taken' | 'already-taken' | 'done'; reference: string; customerPhone: string }
  | { outcome: 'no-such-job' | 'none-open' };

export type RelayOutcome = { outcome: 'handed' | 'done'; reference: string } | { outcome: 'no-such-job' };

export type CloseOutcome = { outcome: 'closed' | 'already-done'; reference: string } | { outcome: 'no-such-job' };

interface TakeInput {
  clientId: string;
  job: JobHandle;
  /** The phone that took it, and when its text arrived: a retried take finds its own mark. */
  by: string;
  at: string;
}

export function createTradespersonActivities({ db, starts }: Pick<ActivityDeps, 'db' | 'starts'>) {
  const include = { customer: { select: { phone: true } } } as const;

  async function findJob(clientId: string, job: JobHandle) {
    if ('latest' in job) {
      return db.job.findFirst({ where: { clientId, progress: 'NEW' }, orderBy: [{ createdAt: 'desc' }, { number: 'desc' }], include });
    }
    return db.job.findUnique({ where: { clientId_number: { clientId, number: job.number } }, include });
  }

  return {
    async setClientPaused(input: { clientId: string; paused: boolean }): Promise<{ changed: boolean }> {
      return setOutboundPaused(db, input.clientId, input.paused);
    },

    /** Takes a job that nobody has taken yet; a text retried after it succeeded finds it taken by itself. */
    async takeJob(input: TakeInput): Promise<TakeOutcome> {
      const job = await findJob(input.clientId, input.job);
      if (!job) return { outcome: 'latest' in input.job ? 'none-open' : 'no-such-job' };
      const found = { reference: jobReference(job.number), customerPhone: job.customer.phone };
      if (job.progress === 'DONE') return { outcome: 'done', ...found };
      const at = new Date(input.at);
      const took = await db.job.updateMany({ where: { id: job.id, progress: 'NEW' }, data: { progress: 'TAKEN', takenAt: at, takenBy: input.by } });
      if (took.count === 1) return { outcome: 'taken', ...found };
      const now = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { takenAt: true, takenBy: true } });
      const itself = now.takenBy === input.by && now.takenAt?.getTime() === at.getTime();
      return { outcome: itself ? 'taken' : 'already-taken', ...found };
    },

    /**
     * The tradesperson's words for a job's customer (or BOT): the job is marked
     * taken over (or back to taken) and the text goes to its conversation,
     * which is started again if it had closed.
     */
    async relayToJob(input: { clientId: string; number: number; jobrunNumber: string; by: string; signal: Omit<TradespersonSignal, 'reference'> }): Promise<RelayOutcome> {
      const job = await findJob(input.clientId, { number: input.number });
      if (!job) return { outcome: 'no-such-job' };
      const reference = jobReference(job.number);
      if (job.progress === 'DONE') return { outcome: 'done', reference };
      const takingOver = input.signal.command.kind === 'relay';
      await db.job.update({
        where: { id: job.id },
        data: { progress: takingOver ? 'TAKEN_OVER' : 'TAKEN', ...(job.takenAt ? {} : { takenAt: new Date(input.signal.receivedAt), takenBy: input.by }) },
      });
      await starts.tradespersonToConversation(
        { clientId: job.clientId, customerId: job.customerId, conversationId: job.conversationId, customerPhone: job.customer.phone, jobrunNumber: input.jobrunNumber },
        { ...input.signal, reference },
      );
      return { outcome: 'handed', reference };
    },

    async closeJob(input: { clientId: string; number: number }): Promise<CloseOutcome> {
      const job = await findJob(input.clientId, { number: input.number });
      if (!job) return { outcome: 'no-such-job' };
      const closed = await db.job.updateMany({ where: { id: job.id, progress: { not: 'DONE' } }, data: { progress: 'DONE' } });
      return { outcome: closed.count === 1 ? 'closed' : 'already-done', reference: jobReference(job.number) };
    },
  };
}
