// What the tradesperson's commands change: the SystemGate switch, and their
// jobs' progress. Each answers with what it found, for the reply to say.
import { setOutboundPaused } from '../src/system-gate';
import { findJob, stopChain, takeJob, type TakeInput, type TakeOutcome } from '../src/jobs/take';
import { jobReference } from '../workflows/shared/job-reference';
import type { TradespersonSignal } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

export type { TakeOutcome };

export type RelayOutcome = { outcome: 'handed' | 'done'; reference: string } | { outcome: 'no-such-job' };

export type CloseOutcome = { outcome: 'closed' | 'already-done'; reference: string } | { outcome: 'no-such-job' };

export function createTradespersonActivities({ db, starts, logger }: Pick<ActivityDeps, 'db' | 'starts' | 'logger'>) {
  return {
    async setClientPaused(input: { clientId: string; paused: boolean }): Promise<{ changed: boolean }> {
      return setOutboundPaused(db, input.clientId, input.paused);
    },

    /** Takes a job from a text (J12, 1); its escalation chain stops. */
    async takeJob(input: TakeInput): Promise<TakeOutcome> {
      return takeJob(db, starts, activityLogger(logger), input, 'text');
    },

    /**
     * The tradesperson's words for a job's customer (or BOT): the job is marked
     * taken over (or back to taken) and the text goes to its conversation,
     * which is started again if it had closed.
     */
    async relayToJob(input: { clientId: string; number: number; jobrunNumber: string; by: string; signal: Omit<TradespersonSignal, 'reference'> }): Promise<RelayOutcome> {
      const job = await findJob(db, input.clientId, { number: input.number });
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
      // Texting the customer is taking the job: the customer has their answer, and the chain stops.
      if (job.progress === 'NEW') await stopChain(starts, activityLogger(logger), job.id, { by: input.by, via: 'relay' });
      return { outcome: 'handed', reference };
    },

    async closeJob(input: { clientId: string; number: number; by: string }): Promise<CloseOutcome> {
      const job = await findJob(db, input.clientId, { number: input.number });
      if (!job) return { outcome: 'no-such-job' };
      const closed = await db.job.updateMany({ where: { id: job.id, progress: { not: 'DONE' } }, data: { progress: 'DONE' } });
      if (job.progress === 'NEW') await stopChain(starts, activityLogger(logger), job.id, { by: input.by, via: 'done' });
      return { outcome: closed.count === 1 ? 'closed' : 'already-done', reference: jobReference(job.number) };
    },
  };
}
