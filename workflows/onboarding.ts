// A tradesperson signing up by text to the onboarding number. One workflow per
// phone (ID onboarding:<E164>), fed by the intake workflows with signals:
// business name, trade, service area, a summary to confirm with YES, then a
// pool number and how to divert missed calls to it. One question per text;
// texts are taken one at a time in arrival order, each MessageSid once.
import { ContinueAsNew, condition, continueAsNew, defineQuery, defineSignal, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { onboardingDb, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { isExit, parseBusinessName, parseConfirm, parseServiceArea, parseTrade } from './onboarding-answers';
import * as text from './onboarding-messages';
import { askPatchesAtStart } from './patches';
import { enqueueInOrder, settleEarliest } from './settle';
import { isOptOut, keyword } from './shared/keywords';
import { maskPhone } from './shared/phone-mask';
import type { OnboardingCarried, OnboardingData, OnboardingInput, OnboardingSignal, OnboardingStep } from './shared/types';

export const onboardingSignal = defineSignal<[OnboardingSignal]>('onboardingInbound');

/** Where the sign-up stands, and the text being handled now (null between texts). */
export const onboardingProgressQuery = defineQuery<OnboardingCarried & { handling: string | null }>('progress');

const HOUR_MS = 3_600_000;
const ONBOARDING_TIMING = {
  /** One reminder after this long without a text from the tradesperson. */
  remindAfterMs: 24 * HOUR_MS,
  /** Closed (EXPIRED) after this long without a text. */
  expireAfterMs: 7 * 24 * HOUR_MS,
  /** No FREE number at YES: tried again this often... */
  retryNumberEveryMs: 15 * 60_000,
  /** ...the operator reminded this often... */
  realertEveryMs: 24 * HOUR_MS,
  /** ...and after this long the tradesperson is told our team will call instead. */
  giveUpWaitingMs: 30 * 24 * HOUR_MS,
} as const;

const SEEN_WINDOW = 100;

type OnboardingOutcome = 'complete' | 'already-client' | 'cancelled' | 'expired' | 'no-number';

type Ended = OnboardingOutcome | undefined;

/** Every patch this workflow asks about (see askPatchesAtStart). */
export const ONBOARDING_PATCHES = ['exit-not-cancel', 'onboarding-settle-window'] as const;

export async function onboarding(input: OnboardingInput): Promise<OnboardingOutcome> {
  askPatchesAtStart(ONBOARDING_PATCHES);
  const s: OnboardingCarried = input.carried ?? {
    step: 'NEW',
    data: {},
    pending: [],
    seenSids: [],
    lastInboundAt: Date.now(),
    lastSid: null,
    reminded: false,
  };
  const wfId = workflowInfo().workflowId;
  let handling: string | null = null;

  setHandler(onboardingProgressQuery, () => ({ ...s, handling }));
  setHandler(onboardingSignal, (msg) => enqueueInOrder(s.pending, s.seenSids, msg));

  /** One text to the tradesperson, exactly once per step and message; a failure is the operator's to hear of. */
  async function send(step: string, sid: string | null, body: string, purpose: 'reply' | 'nudge' = 'reply'): Promise<void> {
    try {
      await sms.sendSms({ idempotencyKey: `${wfId}:${step}:${sid ?? 'none'}`, purpose, to: input.phone, from: input.onboardingNumber, body });
    } catch (err) {
      if (isCancellation(err)) throw err;
      await alertOperator(`${step}-alert:${sid ?? 'none'}`, {
        kind: 'SMS_SEND_FAILED',
        subject: input.onboardingNumber,
        detail: `The onboarding ${step} text to a tradesperson (${maskPhone(input.phone)}) failed (${describeFailure(err)}).`,
        fromHint: input.onboardingNumber,
      });
    }
  }

  const save = (step: OnboardingStep) => {
    s.step = step;
    return onboardingDb.saveOnboardingState({ phone: input.phone, step, data: s.data });
  };

  /** The next unanswered question, or the summary once all three are answered. */
  async function askNext(sid: string, thanks: boolean): Promise<void> {
    const d = s.data;
    if (!d.businessName) {
      await save('ASK_BUSINESS_NAME');
      await send('ask-business-name', sid, text.ASK_BUSINESS_NAME);
    } else if (!d.trade) {
      await save('ASK_TRADE');
      await send('ask-trade', sid, text.askTrade(thanks ? d.businessName : undefined));
    } else if (!d.serviceArea || d.serviceArea.length === 0) {
      await save('ASK_SERVICE_AREA');
      await send('ask-service-area', sid, text.ASK_SERVICE_AREA);
    } else {
      await save('CONFIRM');
      await send('confirm', sid, text.summary(d));
    }
  }

  async function allocate(): Promise<Awaited<ReturnType<typeof onboardingDb.completeOnboarding>>> {
    return onboardingDb.completeOnboarding({
      phone: input.phone,
      businessName: s.data.businessName!,
      trade: s.data.trade!,
      serviceArea: s.data.serviceArea!,
      messageSid: s.lastSid,
    });
  }

  async function poolExhausted(step: string): Promise<void> {
    s.lastAlertAt = Date.now();
    await alertOperator(step, {
      kind: 'POOL_EXHAUSTED',
      subject: 'number-pool',
      detail: `A tradesperson (${maskPhone(input.phone)}, ${s.data.businessName ?? 'no name'}) confirmed their sign-up but there is no FREE number in the pool. Add one with: jobrun numbers add <E164>; waiting sign-ups take it within 15 minutes.`,
      fromHint: input.onboardingNumber,
    });
  }

  async function confirmed(sid: string): Promise<Ended> {
    const r = await allocate();
    if (r.outcome === 'no-number') {
      s.step = 'WAITING_FOR_NUMBER'; // written by the activity, with the answers
      s.waitingSince = s.lastTryAt = Date.now();
      await send('no-number', sid, text.noNumberYet(s.data.businessName!));
      await poolExhausted(`pool-exhausted:${sid}`);
      return undefined;
    }
    s.step = 'COMPLETE'; // written by the activity, with the client
    s.data.jobrunNumber = r.jobrunNumber ?? undefined;
    if (r.outcome === 'already-client') {
      await send('already-client', sid, text.alreadyClient(r.businessName, r.jobrunNumber));
      return 'already-client';
    }
    await send('complete', sid, text.complete(s.data.businessName!, r.jobrunNumber));
    return 'complete';
  }

  async function onText(msg: OnboardingSignal): Promise<Ended> {
    const sid = msg.messageSid;
    // Twilio takes CANCEL, like STOP, as an opt-out and blocks our texts: runs from before
    // 'exit-not-cancel' still answered CANCEL with a confirmation.
    const exits = patched('exit-not-cancel') ? isExit(msg.body) : keyword(msg.body) === 'CANCEL';
    if (exits) {
      await save('CANCELLED');
      await send('cancelled', sid, text.CANCELLED);
      return 'cancelled';
    }
    // STOP and the like: Twilio confirms the opt-out itself, and we may not text them again.
    if (isOptOut(msg.body)) {
      await save('CANCELLED');
      return 'cancelled';
    }
    switch (s.step) {
      case 'NEW':
        await save('ASK_BUSINESS_NAME');
        await send('welcome', sid, text.WELCOME);
        return undefined;
      case 'ASK_BUSINESS_NAME': {
        const name = parseBusinessName(msg.body);
        if (!name) {
          await send('ask-business-name-again', sid, text.BAD_BUSINESS_NAME);
          return undefined;
        }
        s.data.businessName = name;
        await askNext(sid, true);
        return undefined;
      }
      case 'ASK_TRADE': {
        const trade = parseTrade(msg.body);
        if (!trade) {
          await send('ask-trade-again', sid, text.BAD_TRADE);
          return undefined;
        }
        s.data.trade = trade;
        await askNext(sid, false);
        return undefined;
      }
      case 'ASK_SERVICE_AREA': {
        const area = parseServiceArea(msg.body);
        if (!area.ok) {
          await send('ask-service-area-again', sid, text.badServiceArea(area));
          return undefined;
        }
        s.data.serviceArea = area.districts;
        await askNext(sid, false);
        return undefined;
      }
      case 'CONFIRM': {
        const answer = parseConfirm(msg.body);
        if (answer === 'yes') return confirmed(sid);
        if (answer === 'other') {
          await send('confirm-help', sid, text.CONFIRM_HELP);
          return undefined;
        }
        if (answer === 'restart') {
          s.data = {};
          await save('ASK_BUSINESS_NAME');
          await send('restart', sid, text.RESTARTED);
          return undefined;
        }
        const field: Record<typeof answer, keyof OnboardingData> = { name: 'businessName', trade: 'trade', areas: 'serviceArea' };
        delete s.data[field[answer]];
        await askNext(sid, false);
        return undefined;
      }
      case 'WAITING_FOR_NUMBER':
        await send('still-waiting', sid, text.STILL_WAITING);
        return undefined;
      default:
        // COMPLETE, CANCELLED, EXPIRED end the run before another text is taken.
        return undefined;
    }
  }

  /** When the workflow next has something to do on its own. */
  function nextWakeAt(): number {
    const t = ONBOARDING_TIMING;
    if (s.step === 'WAITING_FOR_NUMBER') {
      return Math.min((s.lastTryAt ?? s.lastInboundAt) + t.retryNumberEveryMs, (s.waitingSince ?? s.lastInboundAt) + t.giveUpWaitingMs);
    }
    if (s.step === 'NEW' || s.reminded) return s.lastInboundAt + t.expireAfterMs;
    return s.lastInboundAt + t.remindAfterMs;
  }

  async function onTimer(): Promise<Ended> {
    const t = ONBOARDING_TIMING;
    const now = Date.now();
    if (s.step === 'WAITING_FOR_NUMBER') {
      if (now - (s.waitingSince ?? now) >= t.giveUpWaitingMs) {
        await save('EXPIRED');
        await send('waiting-gave-up', s.lastSid, text.WAITING_GAVE_UP);
        await alertOperator(`pool-gave-up:${s.lastSid ?? 'none'}`, {
          kind: 'POOL_EXHAUSTED',
          subject: 'number-pool',
          detail: `A tradesperson (${maskPhone(input.phone)}, ${s.data.businessName ?? 'no name'}) waited 30 days for a JobRun number; their sign-up was closed. Contact them directly.`,
          fromHint: input.onboardingNumber,
        });
        return 'no-number';
      }
      s.lastTryAt = now;
      const r = await allocate();
      if (r.outcome === 'no-number') {
        if (now - (s.lastAlertAt ?? 0) >= t.realertEveryMs) await poolExhausted(`pool-exhausted:${s.lastSid ?? 'none'}:${now}`);
        return undefined;
      }
      s.step = 'COMPLETE';
      s.data.jobrunNumber = r.jobrunNumber ?? undefined;
      if (r.outcome === 'already-client') {
        await send('already-client', s.lastSid, text.alreadyClient(r.businessName, r.jobrunNumber));
        return 'already-client';
      }
      await send('number-ready', s.lastSid, text.numberReady(s.data.businessName!, r.jobrunNumber));
      return 'complete';
    }
    if (s.step === 'NEW') return 'expired'; // never texted: nothing to say
    if (!s.reminded && now - s.lastInboundAt >= t.remindAfterMs) {
      s.reminded = true;
      await send('reminder', s.lastSid, text.reminder(s.step, s.data), 'nudge');
      return undefined;
    }
    if (now - s.lastInboundAt >= t.expireAfterMs) {
      await save('EXPIRED');
      await send('expired', s.lastSid, text.EXPIRED, 'nudge');
      return 'expired';
    }
    return undefined;
  }

  try {
    for (;;) {
      const wait = Math.max(nextWakeAt() - Date.now(), 1);
      const hasText = s.pending.length > 0 || (await condition(() => s.pending.length > 0, wait));
      let ended: Ended;
      if (hasText) {
        // Histories from before the ordering window took texts at once.
        if (patched('onboarding-settle-window')) await settleEarliest(s.pending, input.settleMs);
        const msg = s.pending.shift()!;
        s.seenSids = [...s.seenSids, msg.messageSid].slice(-SEEN_WINDOW);
        s.lastSid = msg.messageSid;
        s.lastInboundAt = Date.now();
        handling = msg.messageSid;
        ended = await onText(msg);
        handling = null;
      } else {
        ended = await onTimer();
      }
      if (ended) {
        if (s.pending.length === 0) return ended;
        if (ended === 'complete' || ended === 'already-client') {
          // Texts that came in while the number was being set up.
          for (const late of s.pending.splice(0)) {
            await send('already-client', late.messageSid, text.alreadyClient(s.data.businessName ?? 'your business', s.data.jobrunNumber ?? null));
          }
          return ended;
        }
        // Cancelled or closed, and a new text is already here: it starts a fresh sign-up.
        s.step = 'NEW';
        s.data = {};
        s.reminded = false;
        delete s.waitingSince;
        delete s.lastTryAt;
        delete s.lastAlertAt;
      }
      if (workflowInfo().continueAsNewSuggested && s.pending.length === 0) {
        await continueAsNew<typeof onboarding>({ ...input, carried: s });
      }
    }
  } catch (err) {
    if (isCancellation(err) || err instanceof ContinueAsNew) throw err;
    // The workflow ID is the phone's and outlives a run (CANCEL, expiry, a later sign-up): the key names the text that failed.
    await alertOperator(`failed:${s.lastSid ?? 'none'}:${s.step}`, {
      kind: 'WORKFLOW_FAILED',
      subject: input.onboardingNumber,
      detail: `The SMS onboarding of a tradesperson (${maskPhone(input.phone)}) failed at ${s.step}: ${describeFailure(err)}. Repair it with temporal workflow reset.`,
      fromHint: input.onboardingNumber,
    });
    throw err;
  }
}
