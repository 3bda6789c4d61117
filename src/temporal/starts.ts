// The one door into Temporal: every workflow JobRun starts or signals goes
// through a function here, typed from the workflow function and its signal
// definition. Each owns its workflow ID, its ID reuse and conflict policies,
// its search attributes, how long Temporal gets to take it, and what a
// duplicate means. Routes and activities only call them.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type SignalDefinition } from '@temporalio/common';
import { callAccepted, conversation, escalation, inboundSms, messageStatus, missedCall, onboarding } from '../../workflows';
import { inboundSignal, tradespersonSignal } from '../../workflows/conversation';
import { callEndedSignal, escalationRaisedSignal, jobTakenSignal } from '../../workflows/escalation';
import { onboardingSignal } from '../../workflows/onboarding';
import { callAcceptedWorkflowId, conversationWorkflowId, escalationWorkflowId, messageStatusWorkflowId, onboardingWorkflowId } from '../../workflows/shared/ids';
import { SA } from '../../workflows/shared/search-attributes';
import type {
  ConversationInput,
  DeliveryReport,
  EscalationInput,
  EscalationRaise,
  InboundSignal,
  InboundSmsInput,
  JobTaken,
  MissedCallInput,
  OnboardingInput,
  OnboardingSignal,
  TradespersonSignal,
} from '../../workflows/shared/types';
import { customerHasher } from './customer-hash';
import { withTimeout } from './client';

type ConversationStart = Omit<ConversationInput, 'settleMs' | 'carried'>;

/** `duplicate`: the workflow of this ID exists or existed; the work is done or under way. */
type StartOutcome = 'started' | 'duplicate';

/**
 * Work keyed by a Twilio SID happens once: the same ID is refused while the
 * first run is open and after it closed (until Temporal's retention, after
 * which the database's unique keys are the check).
 */
const ONCE = { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE, workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL } as const;

/** The tradesperson pressed 1 and waits on the line to be put through. */
const PRESSED_DEADLINE_MS = 3000;
/** A webhook's answer must reach Twilio well inside its 15 s; past this it is a 503 and Twilio's retry. */
const WEBHOOK_DEADLINE_MS = 4000;
/** The tradesperson is waiting on the line for the call to connect. */
const CALL_ACCEPTED_DEADLINE_MS = 3000;
/** Inside a local activity (20 s): a hand-over Temporal cannot take is retried by the activity. */
const HANDOVER_DEADLINE_MS = 10_000;

interface StartsOptions {
  taskQueue: string;
  /** The ordering window of conversations and sign-ups (CONVERSATION_SETTLE_MS). */
  settleMs: number;
  /** SEARCH_HASH_KEY: the key of the customer hash in search attributes. */
  hashKey?: string;
}

export function createStarts(temporal: Client, { taskQueue, settleMs, hashKey }: StartsOptions) {
  const customerHash = customerHasher(hashKey);
  async function once(deadlineMs: number, what: string, start: () => Promise<unknown>): Promise<StartOutcome> {
    try {
      await withTimeout(deadlineMs, what, start);
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
      throw err;
    }
  }

  async function signalIfRunning(workflowId: string, what: string, send: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<void>): Promise<boolean> {
    try {
      await withTimeout(PRESSED_DEADLINE_MS, what, () => send(temporal.workflow.getHandle(workflowId)));
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async function toConversationAs<S>(start: ConversationStart, signal: SignalDefinition<[S]>, arg: S, what: string): Promise<string> {
    const workflowId = conversationWorkflowId(start.clientId, start.customerId);
    await withTimeout(HANDOVER_DEADLINE_MS, what, () =>
      temporal.workflow.signalWithStart(conversation, {
        workflowId,
        taskQueue,
        args: [{ ...start, settleMs }],
        signal,
        signalArgs: [arg],
        typedSearchAttributes: [
          { key: SA.clientId, value: start.clientId },
          { key: SA.numberRole, value: 'CLIENT' },
          { key: SA.customerHash, value: customerHash(start.customerPhone) },
        ],
      }),
    );
    return workflowId;
  }

  return {
    /** An inbound SMS, ID = MessageSid. */
    inboundSms(input: InboundSmsInput): Promise<StartOutcome> {
      return once(WEBHOOK_DEADLINE_MS, 'starting the inbound SMS workflow', () =>
        temporal.workflow.start(inboundSms, {
          ...ONCE,
          workflowId: input.messageSid,
          taskQueue,
          args: [input],
          typedSearchAttributes: [{ key: SA.customerHash, value: customerHash(input.from) }],
        }),
      );
    },

    /** A missed call's text-back, ID = CallSid: however many of Twilio's callbacks arrive, the caller is texted once. */
    missedCall(input: MissedCallInput): Promise<StartOutcome> {
      return once(WEBHOOK_DEADLINE_MS, 'starting the missed-call workflow', () =>
        temporal.workflow.start(missedCall, {
          ...ONCE,
          workflowId: input.callSid,
          taskQueue,
          args: [input],
          typedSearchAttributes: [
            { key: SA.numberRole, value: input.number.role },
            { key: SA.customerHash, value: customerHash(input.from) },
            ...(input.number.role === 'CLIENT' ? [{ key: SA.clientId, value: input.number.client.id }] : []),
          ],
        }),
      );
    },

    /** The marker that the tradesperson pressed 1 on the screening whisper of this call. */
    callAccepted(parentCallSid: string): Promise<StartOutcome> {
      return once(CALL_ACCEPTED_DEADLINE_MS, 'recording the accepted call', () =>
        temporal.workflow.start(callAccepted, { ...ONCE, workflowId: callAcceptedWorkflowId(parentCallSid), taskQueue, args: [] }),
      );
    },

    /** Twilio's final delivery state of an outbound SMS, once per SID and state. */
    messageStatus(report: DeliveryReport): Promise<StartOutcome> {
      return once(WEBHOOK_DEADLINE_MS, 'starting the message-status workflow', () =>
        temporal.workflow.start(messageStatus, { ...ONCE, workflowId: messageStatusWorkflowId(report.messageSid, report.status), taskQueue, args: [report] }),
      );
    },

    /**
     * Hands a customer's text to their conversation, starting it if it is not
     * running (a closed one is started afresh). The conversation ignores SIDs
     * it has seen, so a retried hand-over is harmless. Returns the workflow ID.
     */
    toConversation(start: ConversationStart, signal: InboundSignal): Promise<string> {
      return toConversationAs(start, inboundSignal, signal, 'handing the text to its conversation');
    },

    /** The tradesperson's words for a job's customer (or BOT), to that conversation, as toConversation does. */
    tradespersonToConversation(start: ConversationStart, signal: TradespersonSignal): Promise<string> {
      return toConversationAs(start, tradespersonSignal, signal, "handing the tradesperson's text to the conversation");
    },

    /**
     * Raises a job's escalation chain, starting it if it is not running. A
     * chain that finished (taken, or run out) is started afresh, and finds
     * the job taken or goes round again for the new, higher urgency.
     */
    async escalation(start: EscalationInput, raise: EscalationRaise): Promise<string> {
      const workflowId = escalationWorkflowId(start.jobId);
      await withTimeout(HANDOVER_DEADLINE_MS, 'raising the escalation chain', () =>
        temporal.workflow.signalWithStart(escalation, {
          workflowId,
          taskQueue,
          args: [start],
          signal: escalationRaisedSignal,
          signalArgs: [raise],
          typedSearchAttributes: [
            { key: SA.clientId, value: start.clientId },
            { key: SA.urgency, value: raise.urgency },
            { key: SA.customerHash, value: customerHash(start.customerPhone) },
          ],
        }),
      );
      return workflowId;
    },

    /** Stops a job's chain: taken. False when no chain is running for it (never raised, or over). */
    async jobTaken(jobId: string, taken: JobTaken): Promise<boolean> {
      return signalIfRunning(escalationWorkflowId(jobId), 'telling the escalation chain the job is taken', (h) => h.signal(jobTakenSignal, taken));
    },

    /** One of a chain's calls ended (Twilio's status callback): the chain moves on without waiting out its timer. */
    async escalationCallEnded(workflowId: string, callSid: string, status: string): Promise<boolean> {
      return signalIfRunning(workflowId, 'telling the escalation chain its call ended', (h) => h.signal(callEndedSignal, { callSid, status }));
    },

    /** Hands a tradesperson's text to their sign-up, as toConversation does. Returns the workflow ID. */
    async toOnboarding(start: Omit<OnboardingInput, 'settleMs' | 'carried'>, signal: OnboardingSignal): Promise<string> {
      const workflowId = onboardingWorkflowId(start.phone);
      await withTimeout(HANDOVER_DEADLINE_MS, 'handing the text to its sign-up', () =>
        temporal.workflow.signalWithStart(onboarding, {
          workflowId,
          taskQueue,
          args: [{ ...start, settleMs }],
          signal: onboardingSignal,
          signalArgs: [signal],
        }),
      );
      return workflowId;
    },
  };
}

export type Starts = ReturnType<typeof createStarts>;
