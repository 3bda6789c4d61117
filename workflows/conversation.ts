// One conversation per (client, customer). Intake workflows signal-with-start
// it; it takes their messages one at a time, in the order they arrived, so
// a burst of texts never produces crossed or duplicate replies.
import { condition, continueAsNew, defineSignal, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ConversationInput, ConversationState, InboundSignal } from '../src/workflow-api';
import { INBOUND_SIGNAL } from '../src/workflow-api';
import type { TurnResult } from '../src/qualification/turn';
import { severity } from '../src/qualification/urgency';
import { ai, db, rules, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';

export const inboundSignal = defineSignal<[InboundSignal]>(INBOUND_SIGNAL);

const TRANSCRIPT_WINDOW = 30;
const SEEN_WINDOW = 200;
const IDLE_CLOSE = '24h';

function initialState(): ConversationState {
  return { transcript: [], pending: [], seenSids: [], job: null, escalatedUrgency: null, summarySent: false };
}

export async function conversation(input: ConversationInput): Promise<void> {
  const state = input.carried ?? initialState();
  const wfId = workflowInfo().workflowId;

  setHandler(inboundSignal, (msg) => {
    if (state.seenSids.includes(msg.messageSid) || state.pending.some((p) => p.messageSid === msg.messageSid)) return;
    state.pending.push(msg);
    state.pending.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  });

  for (;;) {
    const hasWork = await condition(() => state.pending.length > 0, IDLE_CLOSE);
    if (!hasWork) return;
    const msg = state.pending.shift()!;
    state.seenSids = [...state.seenSids, msg.messageSid].slice(-SEEN_WINDOW);
    await takeTurn(input, state, msg, wfId);
    if (workflowInfo().continueAsNewSuggested && state.pending.length === 0) {
      await continueAsNew<typeof conversation>({ ...input, carried: state });
    }
  }
}

async function takeTurn(input: ConversationInput, state: ConversationState, msg: InboundSignal, wfId: string) {
  state.transcript = [...state.transcript, { direction: 'INBOUND' as const, body: msg.body }].slice(-TRANSCRIPT_WINDOW);
  const business = { businessName: msg.client.businessName, trade: msg.client.trade, serviceArea: msg.client.serviceArea };
  const step = (name: string) => `${wfId}:${name}:${msg.messageSid}`;
  // Only the customer's side is the conversation's transcript; texts to the tradesperson are in the ledger alone.
  const send = (name: string, purpose: 'reply' | 'escalation' | 'summary', to: string, body: string) =>
    sms.sendSms({
      idempotencyKey: step(name),
      purpose,
      to,
      from: input.jobrunNumber,
      body,
      conversationId: purpose === 'reply' ? input.conversationId : undefined,
    });

  let turn: TurnResult;
  try {
    turn = (await ai.qualifyTurn({ transcript: state.transcript, business })).result;
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator(`ai-alert:${msg.messageSid}`, {
      kind: 'AI_DEGRADED',
      subject: 'openai',
      detail: `The AI turn failed (${describeFailure(err)}); the rules engine answered instead.`,
      fromHint: input.jobrunNumber,
    });
    turn = (await rules.qualifyWithRules({ transcript: state.transcript, business })).result;
  }

  let replyBody = turn.reply;
  try {
    await send('reply', 'reply', input.customerPhone, replyBody);
  } catch (err) {
    if (isCancellation(err)) throw err;
    replyBody = '';
    await alertOperator(`reply-alert:${msg.messageSid}`, {
      kind: 'SMS_SEND_FAILED',
      subject: msg.client.id,
      detail: `The reply to a customer of ${msg.client.businessName} could not be sent (${describeFailure(err)}).`,
      fromHint: input.jobrunNumber,
    });
  }
  if (replyBody) state.transcript = [...state.transcript, { direction: 'OUTBOUND' as const, body: replyBody }].slice(-TRANSCRIPT_WINDOW);
  state.job = turn.job;

  // The tradesperson hears at once when the job gets more urgent than they were last told.
  const escalate = turn.urgency !== 'ROUTINE' && severity(turn.urgency) > severity(state.escalatedUrgency);
  if (escalate) {
    await notifyOwner(msg, 'escalate', 'escalation', escalationText(turn, input.customerPhone, msg.client.businessName), send);
    state.escalatedUrgency = turn.urgency;
  } else if (turn.complete && !state.summarySent && state.escalatedUrgency === null) {
    await notifyOwner(msg, 'summary', 'summary', summaryText(turn, input.customerPhone), send);
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

async function notifyOwner(
  msg: InboundSignal,
  name: string,
  purpose: 'escalation' | 'summary',
  body: string,
  send: (name: string, purpose: 'escalation' | 'summary', to: string, body: string) => Promise<unknown>,
) {
  try {
    await send(name, purpose, msg.client.ownerPhone, body);
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator(`${name}-alert:${msg.messageSid}`, {
      kind: 'SMS_SEND_FAILED',
      subject: msg.client.id,
      detail: `The ${purpose} text to ${msg.client.businessName} could not be sent (${describeFailure(err)}). Call them.`,
    });
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
