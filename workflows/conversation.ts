// One conversation per (client, customer). Intake workflows signal-with-start
// it; it takes their messages one at a time, in the order they arrived, so
// a burst of texts never produces crossed or duplicate replies.
import { condition, continueAsNew, defineQuery, defineSignal, isCancellation, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ai, db, rules, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { msUntilDaytime } from './quiet-hours';
import { enqueueInOrder, settleEarliest } from './settle';
import { SA } from './shared/search-attributes';
import type { TurnResult } from './shared/turn';
import type { ConversationInput, ConversationState, InboundSignal } from './shared/types';
import { severity } from './shared/urgency';

export const inboundSignal = defineSignal<[InboundSignal]>('inbound');

/** The conversation's state, and the text whose turn is being taken now (null between turns). */
export const conversationProgressQuery = defineQuery<ConversationState & { handling: string | null }>('progress');

const TRANSCRIPT_WINDOW = 30;
const SEEN_WINDOW = 200;
const IDLE_CLOSE = '24h';
const NUDGE_AFTER = '2h';
const HOUR_MS = 3_600_000;
/** Caps per customer: AI turns an hour (then the rules engine), texts an hour, turns in all. */
export const LIMITS = { aiTurnsPerHour: 20, textsPerHour: 30, turns: 60 } as const;

type Purpose = 'reply' | 'nudge' | 'escalation' | 'summary';

function initialState(): ConversationState {
  return { transcript: [], pending: [], seenSids: [], job: null, escalatedUrgency: null, summarySent: false };
}

export async function conversation(input: ConversationInput): Promise<void> {
  const state = input.carried ?? initialState();
  const wfId = workflowInfo().workflowId;
  let handling: string | null = null;

  setHandler(conversationProgressQuery, () => ({ ...state, handling }));
  setHandler(inboundSignal, (msg) => enqueueInOrder(state.pending, state.seenSids, msg));

  for (;;) {
    const waitingForCustomer = state.awaitingReply === true && !state.nudged;
    const hasWork = await condition(() => state.pending.length > 0, waitingForCustomer ? NUDGE_AFTER : IDLE_CLOSE);
    if (!hasWork) {
      if (!waitingForCustomer) return;
      await nudge(input, state, wfId);
      continue;
    }
    await settleEarliest(state.pending, input.settleMs);
    const msg = state.pending.shift()!;
    state.seenSids = [...state.seenSids, msg.messageSid].slice(-SEEN_WINDOW);
    state.lastSid = msg.messageSid;
    state.client = msg.client;
    handling = msg.messageSid;
    await takeTurn(input, state, msg, wfId);
    handling = null;
    if (workflowInfo().continueAsNewSuggested && state.pending.length === 0) {
      await continueAsNew<typeof conversation>({ ...input, carried: state });
    }
  }
}

function sender(input: ConversationInput, state: ConversationState, wfId: string, messageSid: string) {
  // Only the customer's side is the conversation's transcript; texts to the tradesperson are in the ledger alone.
  return async (name: string, purpose: Purpose, to: string, body: string) => {
    const toCustomer = to === input.customerPhone;
    if (toCustomer) {
      const now = Date.now();
      state.recentTexts = (state.recentTexts ?? []).filter((t) => now - t < HOUR_MS);
      if (state.recentTexts.length >= LIMITS.textsPerHour) {
        await alertOperator(`text-cap:${messageSid}`, {
          kind: 'LIMIT_REACHED',
          subject: input.conversationId,
          detail: `A customer of ${state.client?.businessName ?? 'a client'} hit the cap of ${LIMITS.textsPerHour} texts an hour; replies are held.`,
        });
        return { status: 'CAPPED' as const };
      }
      state.recentTexts.push(now);
    }
    return sms.sendSms({
      idempotencyKey: `${wfId}:${name}:${messageSid}`,
      purpose,
      to,
      from: input.jobrunNumber,
      body,
      conversationId: toCustomer ? input.conversationId : undefined,
    });
  };
}

async function takeTurn(input: ConversationInput, state: ConversationState, msg: InboundSignal, wfId: string) {
  state.transcript = [...state.transcript, { direction: 'INBOUND' as const, body: msg.body }].slice(-TRANSCRIPT_WINDOW);
  state.awaitingReply = false;
  const business = { businessName: msg.client.businessName, trade: msg.client.trade, serviceArea: msg.client.serviceArea };
  const send = sender(input, state, wfId, msg.messageSid);

  state.turns = (state.turns ?? 0) + 1;
  if (state.turns > LIMITS.turns) {
    if (!state.handedOver) {
      state.handedOver = true;
      await safely(msg, input, 'handover', () =>
        send('handover', 'reply', input.customerPhone, `Thanks. I've passed our conversation to ${msg.client.businessName} and they'll pick it up from here.`),
      );
      await alertOperator(`length-cap:${msg.messageSid}`, {
        kind: 'LIMIT_REACHED',
        subject: input.conversationId,
        detail: `A conversation with a customer of ${msg.client.businessName} passed ${LIMITS.turns} turns; it was handed to the tradesperson.`,
      });
    }
    return;
  }

  const now = Date.now();
  state.recentTurns = (state.recentTurns ?? []).filter((t) => now - t < HOUR_MS);
  const aiAllowed = state.recentTurns.length < LIMITS.aiTurnsPerHour;
  state.recentTurns.push(now);

  let turn: TurnResult;
  let engine: 'openai' | 'rules' = 'rules';
  let tokens = 0;
  let fallback = !aiAllowed;
  try {
    if (!aiAllowed) throw new CapReached();
    ({ result: turn, engine, tokens } = await ai.qualifyTurn({ transcript: state.transcript, business }));
  } catch (err) {
    if (isCancellation(err)) throw err;
    if (!(err instanceof CapReached)) {
      fallback = true;
      await alertOperator(`ai-alert:${msg.messageSid}`, {
        kind: 'AI_DEGRADED',
        subject: 'openai',
        detail: `The AI turn failed (${describeFailure(err)}); the rules engine answered instead.`,
        fromHint: input.jobrunNumber,
      });
    }
    turn = (await rules.qualifyWithRules({ transcript: state.transcript, business })).result;
  }
  try {
    await db.recordAiUsage({ clientId: input.clientId, engine, tokens, fallback });
  } catch (err) {
    // Accounting only: its failure is in this workflow's history, and the customer still gets their reply.
    if (isCancellation(err)) throw err;
  }

  const sent = await safely(msg, input, 'reply', () => send('reply', 'reply', input.customerPhone, turn.reply));
  if (sent && 'sid' in sent && sent.status !== 'SUPPRESSED') {
    state.transcript = [...state.transcript, { direction: 'OUTBOUND' as const, body: turn.reply }].slice(-TRANSCRIPT_WINDOW);
  }
  state.job = turn.job;
  state.awaitingReply = !turn.complete;

  // The tradesperson hears at once when the job gets more urgent than they were last told.
  const escalate = turn.urgency !== 'ROUTINE' && severity(turn.urgency) > severity(state.escalatedUrgency);
  if (escalate) {
    await safely(msg, input, 'escalation', () =>
      send('escalate', 'escalation', msg.client.ownerPhone, escalationText(turn, input.customerPhone, msg.client.businessName)),
    );
    state.escalatedUrgency = turn.urgency;
    upsertSearchAttributes([{ key: SA.urgency, value: turn.urgency }]);
  } else if (turn.complete && !state.summarySent && state.escalatedUrgency === null) {
    await safely(msg, input, 'summary', () => send('summary', 'summary', msg.client.ownerPhone, summaryText(turn, input.customerPhone)));
    state.summarySent = true;
  }
  await db.saveJob({
    clientId: input.clientId,
    customerId: input.customerId,
    conversationId: input.conversationId,
    result: turn,
    escalatedAt: state.escalatedUrgency ? msg.receivedAt : null,
  });
}

/** One nudge to a customer who went quiet mid-qualification, never in UK quiet hours. */
async function nudge(input: ConversationInput, state: ConversationState, wfId: string) {
  state.nudged = true;
  const wait = msUntilDaytime(Date.now());
  if (wait > 0 && (await condition(() => state.pending.length > 0, wait))) return;
  if (state.pending.length > 0 || !state.lastSid || !state.client) return;
  const client = state.client;
  const send = sender(input, state, wfId, state.lastSid);
  await safely({ client, messageSid: state.lastSid }, input, 'nudge', () =>
    send('nudge', 'nudge', input.customerPhone, `Hi, it's ${client.businessName}'s assistant again. Do you still need a hand? Just reply with the details when you have a moment.`),
  );
}

class CapReached extends Error {}

/** A text that cannot be sent is the operator's to know about; the conversation goes on. */
async function safely<T>(msg: Pick<InboundSignal, 'client' | 'messageSid'>, input: ConversationInput, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator(`${what}-alert:${msg.messageSid}`, {
      kind: 'SMS_SEND_FAILED',
      subject: msg.client.id,
      detail: `The ${what} for a customer of ${msg.client.businessName} failed (${describeFailure(err)}).`,
      fromHint: input.jobrunNumber,
    });
    return undefined;
  }
}

function escalationText(turn: TurnResult, customerPhone: string, businessName: string): string {
  const j = turn.job;
  const parts = [
    `JobRun ${turn.urgency} for ${businessName}: ${turn.urgencyReason}.`,
    `Customer ${j.customerName ?? 'unknown name'} on ${customerPhone}`,
    j.postcode ? `at ${j.postcode}.` : '(postcode not given yet).',
    j.description ? `Problem: ${j.description}` : '',
  ];
  return parts.filter(Boolean).join(' ').slice(0, 600);
}

function summaryText(turn: TurnResult, customerPhone: string): string {
  const j = turn.job;
  return [
    `JobRun new job: ${j.description ?? 'details in the conversation'}.`,
    `${j.customerName ?? 'Customer'} on ${customerPhone}`,
    j.postcode ? `at ${j.postcode}` : '',
    j.preferredTime ? `, prefers ${j.preferredTime}.` : '.',
  ]
    .filter(Boolean)
    .join(' ')
    .slice(0, 600);
}
