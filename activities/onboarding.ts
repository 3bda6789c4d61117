import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { upsertRacing } from '../src/db';
import { NumberTakenError, createClientOnNumber, lockNumberToAssign } from '../src/numbers/allocate';
import { onboardingWorkflowId } from '../workflows/shared/ids';
import { maskPhone } from '../workflows/shared/phone-mask';
import type { OnboardingData, OnboardingSignal, OnboardingStep } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

interface ForwardToOnboardingInput {
  /** The tradesperson's phone. */
  phone: string;
  onboardingNumber: string;
  signal: OnboardingSignal;
}

export type ForwardToOnboardingResult =
  | { outcome: 'forwarded'; workflowId: string }
  | { outcome: 'already-client'; businessName: string; jobrunNumber: string | null };

interface SaveOnboardingStateInput {
  phone: string;
  step: OnboardingStep;
  data: OnboardingData;
}

export interface CompleteOnboardingInput {
  phone: string;
  businessName: string;
  trade: string;
  serviceArea: string[];
  /** The text being handled (the YES, or the last one before a wait for a number). */
  messageSid: string | null;
}

export type CompleteOnboardingResult =
  /** `reused`: an earlier attempt had already committed this (a retry after a lost answer). */
  | { outcome: 'assigned'; clientId: string; jobrunNumber: string | null; reused: boolean }
  /** The phone was already a client's (added by the CLI meanwhile): nothing created. */
  | { outcome: 'already-client'; clientId: string; businessName: string; jobrunNumber: string | null }
  | { outcome: 'no-number' };

type Json = Record<string, unknown>;

/** Tradesperson sign-up by SMS: hand-over, progress for operators, and the final allocation. */
export function createOnboardingActivities({ db, starts, logger }: ActivityDeps) {
  async function clientNumber(clientId: string, tx: Pick<typeof db, 'twilioNumberPool'> = db): Promise<string | null> {
    const n = await tx.twilioNumberPool.findFirst({
      where: { clientId, role: 'ASSIGNED' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { phoneNumber: true },
    });
    return n?.phoneNumber ?? null;
  }

  /**
   * A text to the onboarding number: a phone that is already a client's is
   * answered by the caller; any other goes to its onboarding workflow, started
   * if need be. The workflow ignores SIDs it has seen, so a retry is harmless.
   */
  async function forwardToOnboarding(input: ForwardToOnboardingInput): Promise<ForwardToOnboardingResult> {
    const log = activityLogger(logger).child({ phone: maskPhone(input.phone) });
    const client = await db.client.findFirst({
      where: { phoneNumber: input.phone },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, businessName: true },
    });
    if (client) {
      // This hand-over run again after the text it carried completed the sign-up (a worker
      // lost the first run's result): the workflow has answered that text already.
      const state = await db.onboardingState.findUnique({ where: { phone: input.phone }, select: { data: true } });
      if ((state?.data as OnboardingData | null)?.completedBySid === input.signal.messageSid) {
        return { outcome: 'forwarded', workflowId: onboardingWorkflowId(input.phone) };
      }
      log.info({ event: 'onboarding.already_client', clientId: client.id }, 'already a client: not onboarding again');
      return { outcome: 'already-client', businessName: client.businessName, jobrunNumber: await clientNumber(client.id) };
    }
    const workflowId = await starts.toOnboarding({ phone: input.phone, onboardingNumber: input.onboardingNumber }, input.signal);
    log.info({ event: 'onboarding.forwarded', onboardingWorkflowId: workflowId }, 'handed to onboarding');
    return { outcome: 'forwarded', workflowId };
  }

  /** Where the sign-up is, for operators ("OnboardingState"); never touches a linked client. */
  async function saveOnboardingState(input: SaveOnboardingStateInput): Promise<void> {
    const data = input.data as Json as object;
    await upsertRacing(() =>
      db.onboardingState.upsert({
        where: { phone: input.phone },
        create: { phone: input.phone, step: input.step, data },
        update: { step: input.step, data },
      }),
    );
  }

  /**
   * On YES: the client, its pool number and the OnboardingState link, in one
   * transaction. The OnboardingState row (phone unique) is locked first and is
   * the idempotency key: an attempt that committed and lost its answer is
   * found by its retry, which returns the same client instead of a second one.
   * The number is taken under a row lock (SKIP LOCKED), so two sign-ups at the
   * same moment never get the same one.
   */
  async function completeOnboarding(input: CompleteOnboardingInput): Promise<CompleteOnboardingResult> {
    const log = activityLogger(logger).child({ phone: maskPhone(input.phone) });
    const answers: OnboardingData = { businessName: input.businessName, trade: input.trade, serviceArea: input.serviceArea };
    const result = await db.$transaction(async (tx): Promise<CompleteOnboardingResult> => {
      await tx.$executeRaw`
        INSERT INTO "OnboardingState" (id, phone, step, data, "updatedAt")
        VALUES (${randomUUID()}, ${input.phone}, 'CONFIRM', ${JSON.stringify(answers)}::jsonb, now())
        ON CONFLICT (phone) DO NOTHING`;
      const rows = await tx.$queryRaw<Array<{ id: string; clientId: string | null }>>`
        SELECT id, "clientId" FROM "OnboardingState" WHERE phone = ${input.phone} FOR UPDATE`;
      const state = rows[0]!;

      if (state.clientId) {
        const jobrunNumber = await clientNumber(state.clientId, tx);
        return { outcome: 'assigned', clientId: state.clientId, jobrunNumber, reused: true };
      }

      const existing = await tx.client.findFirst({
        where: { phoneNumber: input.phone },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true, businessName: true },
      });
      if (existing) {
        const jobrunNumber = await clientNumber(existing.id, tx);
        await tx.onboardingState.update({
          where: { id: state.id },
          data: { step: 'COMPLETE', data: { ...answers, ...(jobrunNumber ? { jobrunNumber } : {}), existingClientId: existing.id, completedBySid: input.messageSid } },
        });
        return { outcome: 'already-client', clientId: existing.id, businessName: existing.businessName, jobrunNumber };
      }

      const pick = await lockNumberToAssign(tx);
      if (!pick.ok) {
        await tx.onboardingState.update({ where: { id: state.id }, data: { step: 'WAITING_FOR_NUMBER', data: answers as Json as object } });
        return { outcome: 'no-number' };
      }
      const client = await createClientOnNumber(tx, pick.number, {
        businessName: input.businessName,
        ownerPhone: input.phone,
        trade: input.trade,
        serviceArea: input.serviceArea,
      });
      await tx.onboardingState.update({
        where: { id: state.id },
        data: { clientId: client.id, step: 'COMPLETE', data: { ...answers, jobrunNumber: pick.number.phoneNumber, completedBySid: input.messageSid } },
      });
      return { outcome: 'assigned', clientId: client.id, jobrunNumber: pick.number.phoneNumber, reused: false };
    }).catch((err: unknown) => {
      if (err instanceof NumberTakenError) throw ApplicationFailure.retryable(err.message, 'NumberTaken');
      throw err;
    });
    if (result.outcome === 'no-number') log.warn({ event: 'onboarding.pool_exhausted' }, 'no FREE number for a confirmed sign-up');
    else log.info({ event: `onboarding.${result.outcome}`, clientId: result.clientId, reused: result.outcome === 'assigned' && result.reused }, 'sign-up completed');
    return result;
  }

  return { forwardToOnboarding, saveOnboardingState, completeOnboarding };
}
