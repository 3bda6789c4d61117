// One conversation per (client, customer). Intake workflows signal-with-start
// it; it takes their messages one at a time, in the order they arrived, so
// a burst of texts never produces crossed or duplicate replies.
import { ContinueAsNew, condition, continueAsNew, defineQuery, defineSignal, isCancellation, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ai, db, dbIfUp, rules, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { takeAsk } from './escalation-text';
import { handoverNotice, holdingReply, systemGateReply } from './guard-messages';
import { askPatchesAtStart } from './patches';
import { asksForPerson, personAskedNotice, personHandover } from './person-request';
import { handedBack, takenOver } from './tradesperson-replies';
import { msUntilDaytime } from './quiet-hours';
import { enqueueInOrder, settleEarliest } from './settle';
import { SA } from './shared/search-attributes';
import type { TurnResult } from './shared/turn';
import type { ConversationInput, ConversationState, InboundSignal, TradespersonSignal } from './shared/types';
import { severity } from './shared/urgency';

export const inboundSignal = defineSignal<[InboundSignal]>('inbound');
/** The tradesperson's words for this conversation's customer, or BOT to hand it back to JobRun. */
export const tradespersonSignal = defineSignal<[TradespersonSignal]>('tradesperson');

/** The conversation's state, and the text whose turn is being taken now (null between turns). */
export const conversationProgressQuery = defineQuery<ConversationState & { handling: string | null }>('progress');

const TRANSCRIPT_WINDOW = 30;
const SEEN_WINDOW = 200;
const IDLE_CLOSE = '24h';
/** A conversation the tradesperson took over goes back to JobRun after a day without their texts. */
const TAKEOVER_MS = 24 * 3_600_000;
const NUDGE_AFTER = '2h';
const HOUR_MS = 3_600_000;
/** Caps per customer: AI turns an hour (then the rules engine), texts an hour, turns in all. */
export const LIMITS = { aiTurnsPerHour: 20, textsPerHour: 30, turns: 60 } as const;

type Purpose = 'reply' | 'nudge' | 'escalation' | 'summary';

function initialState(): ConversationState {
  return { transcript: [], pending: [], seenSids: [], job: null, escalatedUrgency: null, summarySent: false };
}

/** Every patch this workflow asks about (see askPatchesAtStart). */
export const CONVERSATION_PATCHES = ['turn-failure-contained', 'fresh-client', 'asks-for-person', 'past-cap-tradesperson', 'escalation-chain', 'job-reference'] as const;

export async function conversation(input: ConversationInput): Promise<void> {
  askPatchesAtStart(CONVERSATION_PATCHES);
  const state = input.carried ?? initialState();
  const wfId = workflowInfo().workflowId;
  let handling: string | null = null;

  setHandler(conversationProgressQuery, () => ({ ...state, handling }));
  setHandler(inboundSignal, (msg) => enqueueInOrder(state.pending, state.seenSids, msg));
  setHandler(tradespersonSignal, (msg) => {
    const waiting = (state.fromTradesperson ??= []);
    if (!state.seenSids.includes(msg.messageSid) && !waiting.some((w) => w.messageSid === msg.messageSid)) waiting.push(msg);
  });

  try {
    await converse(input, state, wfId, (sid) => (handling = sid));
  } catch (err) {
    if (isCancellation(err) || err instanceof ContinueAsNew) throw err;
    // Runs from before did not alert; the texts still waiting are in the history, and a reset answers them.
    if (patched('turn-failure-contained')) {
      await alertOperator(`failed:${state.lastSid ?? 'none'}`, {
        kind: 'WORKFLOW_FAILED',
        subject: input.conversationId,
        detail: `The conversation ${wfId} failed (${describeFailure(err)}) with ${state.pending.length} text(s) waiting. Fix the cause, then: temporal workflow reset -w ${wfId} --type LastWorkflowTask.`,
        fromHint: input.jobrunNumber,
      });
    }
    throw err;
  }
}

async function converse(input: ConversationInput, state: ConversationState, wfId: string, handling: (sid: string | null) => void): Promise<void> {
  for (;;) {
    const waitingForCustomer = state.awaitingReply === true && !state.nudged;
    const hasWork = await condition(() => state.pending.length > 0 || (state.fromTradesperson?.length ?? 0) > 0, waitingForCustomer ? NUDGE_AFTER : IDLE_CLOSE);
    if (!hasWork) {
      if (!waitingForCustomer) return;
      await nudge(input, state, wfId);
      continue;
    }
    // The tradesperson's texts go first: they are answering what the customer has already said.
    const theirs = state.fromTradesperson?.shift();
    if (theirs) {
      state.seenSids = [...state.seenSids, theirs.messageSid].slice(-SEEN_WINDOW);
      handling(theirs.messageSid);
      await fromTradesperson(input, state, wfId, theirs);
      handling(null);
      continue;
    }
    await settleEarliest(state.pending, input.settleMs);
    const msg = state.pending.shift()!;
    state.seenSids = [...state.seenSids, msg.messageSid].slice(-SEEN_WINDOW);
    state.lastSid = msg.messageSid;
    state.client = msg.client;
    handling(msg.messageSid);
    if (patched('turn-failure-contained')) await takeTurnOrHoldOn(input, state, msg, wfId);
    else await takeTurn(input, state, msg, wfId);
    handling(null);
    if (workflowInfo().continueAsNewSuggested && state.pending.length === 0) {
      await continueAsNew<typeof conversation>({ ...input, carried: state });
    }
  }
}

function sender(input: ConversationInput, state: ConversationState, wfId: string, messageSid: string) {
  // Only the customer's side is the conversation's transcript; texts to the tradesperson are in the ledger alone.
  // `safety`: advice for a present danger (gas, electrics) goes out whatever the cap.
  return async (name: string, purpose: Purpose, to: string, body: string, { safety = false } = {}) => {
    const toCustomer = to === input.customerPhone;
    if (toCustomer && !safety) {
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

/**
 * A turn that fails after its retries (saving the job, the rules engine, a
 * bug) is the operator's to hear of, and the customer is not left without an
 * answer; the conversation goes on with the next text.
 */
async function takeTurnOrHoldOn(input: ConversationInput, state: ConversationState, msg: InboundSignal, wfId: string) {
  try {
    await takeTurn(input, state, msg, wfId);
  } catch (err) {
    if (isCancellation(err)) throw err;
    const answered = state.transcript.at(-1)?.direction === 'OUTBOUND';
    if (!answered) {
      const send = sender(input, state, wfId, msg.messageSid);
      await safely(msg, input, 'holding', () => send('holding', 'reply', input.customerPhone, holdingReply(msg.client.businessName)));
    }
    await alertOperator(`turn-failed:${msg.messageSid}`, {
      kind: 'WORKFLOW_FAILED',
      subject: input.conversationId,
      detail: `A turn of conversation ${wfId} failed (${describeFailure(err)}); ${answered ? 'the customer had their reply' : 'the customer got a holding reply'} and the conversation goes on. Look at its history for the cause.`,
      fromHint: input.jobrunNumber,
    });
  }
}

async function takeTurn(input: ConversationInput, state: ConversationState, received: InboundSignal, wfId: string) {
  state.transcript = [...state.transcript, { direction: 'INBOUND' as const, body: received.body }].slice(-TRANSCRIPT_WINDOW);
  state.awaitingReply = false;
  const send = sender(input, state, wfId, received.messageSid);

  // The client as it is now, not as it was when the text came in: a pause reaches texts already
  // waiting, and no AI answers after it (runs from before used the text's copy).
  let msg = received;
  if (patched('fresh-client')) {
    msg = { ...received, client: (await db.loadClient(input.clientId)) ?? received.client };
    state.client = msg.client;
    if (msg.client.outboundPaused) {
      await safely(msg, input, 'system-gate', () => send('system-gate', 'reply', input.customerPhone, systemGateReply(msg.client.ownerPhone)));
      return;
    }
  }
  const business = { businessName: msg.client.businessName, trade: msg.client.trade, serviceArea: msg.client.serviceArea };

  // Taken over: the tradesperson answers, JobRun only passes the customer's texts on, until BOT or a silent day.
  if (state.takenOverAt != null) {
    if (Date.now() - state.takenOverAt < TAKEOVER_MS) {
      const forwarded = `${state.jobReference ?? 'JobRun'} ${input.customerPhone}: "${msg.body.length > 300 ? `${msg.body.slice(0, 297)}...` : msg.body}"`;
      await safely(msg, input, 'forward', () => send('forward', 'summary', msg.client.ownerPhone, forwarded));
      return;
    }
    state.takenOverAt = null;
  }

  state.turns = (state.turns ?? 0) + 1;
  // A customer who asks for a person gets the tradesperson, at once (runs from before went on qualifying).
  if (!state.handedOver && patched('asks-for-person') && asksForPerson(msg.body)) {
    state.handedOver = true;
    state.personAsked = true;
    await safely(msg, input, 'handover', () => send('handover', 'reply', input.customerPhone, personHandover(msg.client.businessName)));
    const reference = await referenceFor(input, state);
    const summary = state.job?.description ?? state.transcript.find((l) => l.direction === 'INBOUND')?.body ?? msg.body;
    await safely(msg, input, 'handover-notice', () =>
      send('handover-notice', 'summary', msg.client.ownerPhone, personAskedNotice(input.customerPhone, reference, summary)),
    );
  }
  if (state.turns > LIMITS.turns || state.personAsked) {
    if (!state.handedOver) {
      state.handedOver = true;
      await safely(msg, input, 'handover', () =>
        send('handover', 'reply', input.customerPhone, `Thanks. I've passed our conversation to ${msg.client.businessName} and they'll pick it up from here.`),
      );
      // Runs from before neither told the tradesperson nor triaged texts past the cap.
      if (patched('past-cap-tradesperson')) {
        const reference = await referenceFor(input, state);
        await safely(msg, input, 'handover-notice', () =>
          send('handover-notice', 'summary', msg.client.ownerPhone, handoverNotice(input.customerPhone, LIMITS.turns, reference)),
        );
      }
      await alertOperator(`length-cap:${msg.messageSid}`, {
        kind: 'LIMIT_REACHED',
        subject: input.conversationId,
        detail: `A conversation with a customer of ${msg.client.businessName} passed ${LIMITS.turns} turns; it was handed to the tradesperson.`,
      });
    }
    // JobRun no longer converses here, but an emergency must still reach the tradesperson, with its safety advice.
    if (patched('past-cap-tradesperson')) {
      const floor = (await rules.qualifyWithRules({ transcript: state.transcript, business })).result;
      if (moreUrgent(floor, state)) {
        if (floor.urgency === 'EMERGENCY') await safely(msg, input, 'safety', () => send('safety', 'reply', input.customerPhone, floor.reply, { safety: true }));
        await escalate(input, state, msg, send, floor);
      }
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
  if (moreUrgent(turn, state)) {
    await escalate(input, state, msg, send, turn);
  } else if (turn.complete && !state.summarySent && state.escalatedUrgency === null) {
    const reference = await referenceFor(input, state);
    await safely(msg, input, 'summary', () => send('summary', 'summary', msg.client.ownerPhone, summaryText(turn, input.customerPhone, reference)));
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

type Send = ReturnType<typeof sender>;

function moreUrgent(turn: TurnResult, state: ConversationState): boolean {
  return turn.urgency !== 'ROUTINE' && severity(turn.urgency) > severity(state.escalatedUrgency);
}

async function escalate(input: ConversationInput, state: ConversationState, msg: InboundSignal, send: Send, turn: TurnResult) {
  const reference = await referenceFor(input, state);
  // Runs from before started no chain, and their texts asked nobody to take the job.
  const chained = patched('escalation-chain');
  const alertText = escalationText(turn, input.customerPhone, msg.client.businessName, reference, chained);
  await safely(msg, input, 'escalation', () => send('escalate', 'escalation', msg.client.ownerPhone, alertText));
  state.escalatedUrgency = turn.urgency;
  upsertSearchAttributes([{ key: SA.urgency, value: turn.urgency }]);
  if (chained && turn.urgency !== 'ROUTINE') await raiseChain(input, state, msg, turn, alertText);
}

/** The job must be taken: its chain rings the tradesperson if nobody takes it in time. */
async function raiseChain(input: ConversationInput, state: ConversationState, msg: InboundSignal, turn: TurnResult, alertText: string) {
  try {
    const { reference } = await db.raiseEscalation({
      clientId: input.clientId,
      customerId: input.customerId,
      conversationId: input.conversationId,
      customerPhone: input.customerPhone,
      jobrunNumber: input.jobrunNumber,
      businessName: msg.client.businessName,
      urgency: turn.urgency as 'URGENT' | 'EMERGENCY',
      messageSid: msg.messageSid,
      alertText,
      customerTexts: state.transcript.filter((l) => l.direction === 'INBOUND').map((l) => l.body),
      job: turn.job,
    });
    state.jobReference ??= reference;
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator(`chain-failed:${msg.messageSid}`, {
      kind: 'WORKFLOW_FAILED',
      subject: input.conversationId,
      detail: `The ${turn.urgency} escalation of a customer of ${msg.client.businessName} was texted to the tradesperson, but its chain (the call if nobody takes it) could not start (${describeFailure(err)}). Ring the tradesperson.`,
      fromHint: input.jobrunNumber,
    });
  }
}

/** One nudge to a customer who went quiet mid-qualification, never in UK quiet hours. */
async function nudge(input: ConversationInput, state: ConversationState, wfId: string) {
  state.nudged = true;
  const wait = msUntilDaytime(Date.now());
  if (wait > 0 && (await condition(() => state.pending.length > 0, wait))) return;
  if (state.pending.length > 0 || !state.lastSid || !state.client) return;
  let client = state.client;
  // A client paused since the last text gets no nudge sent in its name (runs from before did).
  if (patched('fresh-client')) {
    client = (await db.loadClient(input.clientId)) ?? client;
    if (client.outboundPaused) return;
  }
  const send = sender(input, state, wfId, state.lastSid);
  await safely({ client, messageSid: state.lastSid }, input, 'nudge', () =>
    send('nudge', 'nudge', input.customerPhone, `Hi, it's ${client.businessName}'s assistant again. Do you still need a hand? Just reply with the details when you have a moment.`),
  );
}

/** The tradesperson's words go to the customer as theirs, and the conversation is theirs; BOT hands it back. */
async function fromTradesperson(input: ConversationInput, state: ConversationState, wfId: string, sig: TradespersonSignal) {
  const client = state.client ?? (await db.loadClient(input.clientId));
  if (!client) {
    await alertOperator(`relay-no-client:${sig.messageSid}`, {
      kind: 'WORKFLOW_FAILED',
      subject: input.conversationId,
      detail: `A text from the tradesperson for ${sig.reference} reached conversation ${wfId}, whose client no longer exists; it was not passed on.`,
      fromHint: input.jobrunNumber,
    });
    return;
  }
  state.jobReference ??= sig.reference;
  const send = sender(input, state, wfId, sig.messageSid);
  const msg = { client, messageSid: sig.messageSid };
  if (sig.command.kind === 'bot') {
    state.takenOverAt = null;
    await safely(msg, input, 'handed-back', () => send('handed-back', 'summary', client.ownerPhone, handedBack(sig.reference, input.customerPhone)));
    return;
  }
  const text = sig.command.text;
  const first = state.takenOverAt == null;
  state.takenOverAt = Date.parse(sig.receivedAt);
  const sent = await safely(msg, input, 'relay', () => send('relay', 'reply', input.customerPhone, text));
  if (sent && 'sid' in sent && sent.status !== 'SUPPRESSED') {
    state.transcript = [...state.transcript, { direction: 'OUTBOUND' as const, body: text }].slice(-TRANSCRIPT_WINDOW);
  }
  if (first) await safely(msg, input, 'taken-over', () => send('taken-over', 'summary', client.ownerPhone, takenOver(sig.reference, input.customerPhone)));
}

/**
 * The job's reference for a text to the tradesperson, opening the job if need
 * be. Asked of a database that may be down just before a text that must not
 * wait: without an answer the text goes without it, and the job is saved at
 * the end of the turn as before. Runs from before references had none.
 */
async function referenceFor(input: ConversationInput, state: ConversationState): Promise<string | null> {
  if (!patched('job-reference')) return null;
  if (!state.jobReference) {
    try {
      state.jobReference = (await dbIfUp.openJob({ clientId: input.clientId, customerId: input.customerId, conversationId: input.conversationId })).reference;
    } catch (err) {
      if (isCancellation(err)) throw err;
      return null;
    }
  }
  return state.jobReference;
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

function escalationText(turn: TurnResult, customerPhone: string, businessName: string, reference: string | null, askToTake: boolean): string {
  const j = turn.job;
  const ask = askToTake ? ` ${takeAsk(reference)}` : '';
  const parts = [
    `JobRun ${turn.urgency}${reference ? ` ${reference}` : ''} for ${businessName}: ${turn.urgencyReason}.`,
    `Customer ${j.customerName ?? 'unknown name'} on ${customerPhone}`,
    j.postcode ? `at ${j.postcode}.` : '(postcode not given yet).',
    j.description ? `Problem: ${j.description.trim()}${/[.!?]$/.test(j.description.trim()) ? '' : '.'}` : '',
  ];
  return `${parts.filter(Boolean).join(' ').slice(0, 600 - ask.length)}${ask}`;
}

function summaryText(turn: TurnResult, customerPhone: string, reference: string | null): string {
  const j = turn.job;
  const who = [`${j.customerName ?? 'Customer'} on ${customerPhone}`, j.postcode ? `at ${j.postcode}` : ''].filter(Boolean).join(' ');
  return `JobRun new job${reference ? ` ${reference}` : ''}: ${j.description ?? 'details in the conversation'}. ${who}${j.preferredTime ? `, prefers ${j.preferredTime}` : ''}.`.slice(0, 600);
}
