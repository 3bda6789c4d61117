// Every JobRun activity replaced by a stub that records its calls: defaults
// that behave like a healthy system (texts sent, rows stored, a routine AI
// turn), overridden per test. Workflows run against these on the
// time-skipping server, so each branch can be driven and observed.
import { Context } from '@temporalio/activity';
import type { Activities } from '../../activities';
import type { AlertInput, ClientSnapshot, InboundSignal } from '../../workflows/shared/types';
import type { TurnResult } from '../../workflows/shared/turn';

type Name = keyof Activities;
type Input<N extends Name> = Parameters<Activities[N]>[0];
type Output<N extends Name> = Awaited<ReturnType<Activities[N]>>;
type Stubs = { [N in Name]: (input: Input<N>) => Promise<Output<N>> };

interface Call<N extends Name = Name> {
  name: N;
  input: Input<N>;
  workflowId: string;
  /** When it was scheduled, on the test server's (skipped) clock. */
  at: number;
}

export const CLIENT: ClientSnapshot = {
  id: 'client-1',
  businessName: 'Ace Plumbing',
  trade: 'plumbing',
  serviceArea: [],
  ownerPhone: '+447700900100',
  outboundPaused: false,
  ringTimeoutSeconds: 20,
};

export function routineTurn(reply: string, over: Partial<TurnResult> = {}): TurnResult {
  return {
    reply,
    urgency: 'ROUTINE',
    urgencyReason: 'no urgency signals',
    job: { tradeCategory: 'plumbing', description: null, postcode: null, address: null, customerName: null, preferredTime: null, accessNotes: null },
    complete: false,
    ...over,
  };
}

/** The last customer text of a turn's transcript. */
export function lastText(input: Input<'qualifyTurn'>): string {
  return [...input.transcript].reverse().find((l) => l.direction === 'INBOUND')?.body ?? '';
}

export class StubbedActivities {
  readonly calls: Call[] = [];
  readonly implementations: Stubs;
  private sids = 0;

  constructor(overrides: Partial<Stubs> = {}) {
    const defaults: Stubs = {
      resolveNumber: async () => ({ role: 'CLIENT', client: CLIENT }),
      loadClient: async () => CLIENT,
      recordInbound: async () => ({ customerId: 'customer-1', conversationId: 'conversation-row-1', mode: 'OPERATIONAL', alreadyForwarded: false, optedOut: false }),
      setOptOut: async () => undefined,
      forwardToConversation: async (input) => `conversation:${input.clientId}:${input.customerId}`,
      sendSms: async () => ({ sid: this.nextSid(), status: 'SENT', reconciled: false }),
      qualifyTurn: async (input) => ({ result: routineTurn(`reply to: ${lastText(input)}`), engine: 'openai', tokens: 100 }),
      qualifyWithRules: async (input) => ({ result: routineTurn(`rules reply to: ${lastText(input)}`), engine: 'rules', tokens: 0 }),
      saveJob: async () => 'job-1',
      openJob: async () => ({ reference: 'J7' }),
      setClientPaused: async () => ({ changed: true }),
      takeJob: async () => ({ outcome: 'taken', reference: 'J7', customerPhone: '+447911000007' }),
      closeJob: async () => ({ outcome: 'closed', reference: 'J7' }),
      relayToJob: async () => ({ outcome: 'handed', reference: 'J7' }),
      dayDigests: async () => [],
      numberDrift: async () => [],
      expireBatch: async () => 0,
      raiseEscalation: async () => ({ workflowId: 'escalation:job-1', reference: 'J7' }),
      escalationContacts: async () => ({ progress: 'NEW', ownerPhone: CLIENT.ownerPhone, backupPhone: null }),
      placeCall: async () => ({ sid: this.nextSid('CA'), status: 'PLACED', reconciled: false }),
      recordDelivery: async () => null,
      recordAiUsage: async () => undefined,
      alertOperator: async () => 'sent',
      sendFailsafeSms: async () => ({ sid: this.nextSid(), reconciled: false }),
      recordMissedCall: async () => ({ customerId: 'customer-1', conversationId: 'conversation-row-1' }),
      textBackDecision: async () => 'text',
      recordTextBack: async () => ({ conversationId: 'conversation-row-1' }),
      noteMissedCall: async () => undefined,
      sendWithoutDatabase: async () => ({ sid: this.nextSid(), reconciled: false }),
      wasCallAccepted: async () => false,
      forwardToOnboarding: async (input) => ({ outcome: 'forwarded', workflowId: `onboarding:${input.phone}` }),
      saveOnboardingState: async () => undefined,
      completeOnboarding: async () => ({ outcome: 'assigned', clientId: 'client-2', jobrunNumber: '+447700900500', reused: false }),
      recordHandled: async () => undefined,
      sweepTwilioLog: async () => ({ textsUntil: new Date().toISOString(), callsUntil: new Date().toISOString(), read: { texts: 0, calls: 0 }, recovered: { texts: 0, calls: 0 }, twilioRequests: 2 }),
      saveRecoveryCheckpoint: async () => undefined,
    };
    const chosen = { ...defaults, ...overrides };
    this.implementations = Object.fromEntries(
      (Object.keys(chosen) as Name[]).map((name) => [
        name,
        async (input: never) => {
          const info = Context.current().info;
          this.calls.push({ name, input, workflowId: info.workflowExecution?.workflowId ?? '', at: info.scheduledTimestampMs });
          return (chosen[name] as (i: never) => Promise<unknown>)(input);
        },
      ]),
    ) as unknown as Stubs;
  }

  nextSid(prefix = 'SM'): string {
    this.sids += 1;
    return `${prefix}stub${String(this.sids).padStart(28, '0')}`;
  }

  of<N extends Name>(name: N): Array<Input<N>> {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as Input<N>);
  }

  callsOf<N extends Name>(name: N): Array<Call<N>> {
    return this.calls.filter((c): c is Call<N> => c.name === name);
  }

  /** Texts sent through sendSms to `to` (all of them without). */
  textsTo(to?: string): Array<Input<'sendSms'>> {
    return this.of('sendSms').filter((s) => to === undefined || s.to === to);
  }

  alerts(kind?: AlertInput['kind']): AlertInput[] {
    return this.of('alertOperator').filter((a) => kind === undefined || a.kind === kind);
  }
}

let sidCounter = 0;
/** A text handed to a conversation, received `ageMs` before `now` (workflow time). */
export function inbound(body: string, now: number, opts: { ageMs?: number; client?: ClientSnapshot; messageSid?: string } = {}): InboundSignal {
  sidCounter += 1;
  return {
    messageSid: opts.messageSid ?? `SMtext${String(sidCounter).padStart(28, '0')}`,
    body,
    receivedAt: new Date(now - (opts.ageMs ?? 0)).toISOString(),
    client: opts.client ?? CLIENT,
  };
}
