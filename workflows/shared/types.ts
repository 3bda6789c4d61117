// What the API, the workflows and the activities agree on: workflow inputs,
// signals, carried state and alerts. Types only.
import type { JobDetails } from './turn';
import type { UrgencyLevel } from './urgency';

export interface InboundSmsInput {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  /** When the webhook arrived (ISO): the order of a burst of texts. */
  receivedAt: string;
}

export type NumberRole =
  | { role: 'CLIENT'; client: ClientSnapshot }
  | { role: 'ONBOARDING' }
  | { role: 'SYSTEM'; reason: 'not-in-pool' | 'unassigned' | 'unresolved' };

export interface ClientSnapshot {
  id: string;
  businessName: string;
  trade: string | null;
  serviceArea: string[];
  /** The tradesperson's own phone. */
  ownerPhone: string;
  /** A second phone whose texts are the tradesperson's commands too (absent in runs from before). */
  backupPhone?: string | null;
  outboundPaused: boolean;
  ringTimeoutSeconds: number;
}

export interface MissedCallInput {
  callSid: string;
  from: string;
  to: string;
  /** The status that made it a (possible) missed call, for the history and the logs. */
  callStatus: string;
  number: NumberRole;
  /** Dial completed with talk time: missed only if the screening whisper was not accepted. */
  checkScreening: boolean;
  /**
   * Found in Twilio's log by the recovery sweep too late to text the caller
   * back (RECOVERY_MAX_CALL_AGE): the tradesperson is told instead.
   */
  late?: { calledAt: string };
}

/** What one sweep over Twilio's log found (workflows/recovery.ts). */
export interface SweepResult {
  /** Read up to here: the next sweep starts from these, less an overlap. */
  textsUntil: string;
  callsUntil: string;
  read: { texts: number; calls: number };
  /** Texts and calls that no webhook had brought, now being handled. */
  recovered: { texts: number; calls: number };
  twilioRequests: number;
}

/** Twilio's final word on an outbound SMS. */
export interface DeliveryReport {
  messageSid: string;
  status: 'delivered' | 'undelivered' | 'failed';
  errorCode: string | null;
}

export interface ConversationInput {
  clientId: string;
  customerId: string;
  conversationId: string;
  customerPhone: string;
  /** The client's JobRun number: every reply is sent from it. */
  jobrunNumber: string;
  /** How old a message must be before its turn (CONVERSATION_SETTLE_MS): the ordering window. */
  settleMs?: number;
  carried?: ConversationState;
}

export interface InboundSignal {
  messageSid: string;
  body: string;
  receivedAt: string;
  client: ClientSnapshot;
}

/** From the tradesperson's phone about this conversation's job: their words for the customer, or BOT to hand it back. */
export interface TradespersonSignal {
  messageSid: string;
  receivedAt: string;
  reference: string;
  command: { kind: 'relay'; text: string } | { kind: 'bot' };
}

/** A job's escalation chain (workflows/escalation.ts): whose job, and where its texts and calls come from. */
export interface EscalationInput {
  jobId: string;
  clientId: string;
  /** J and the job's number. */
  reference: string;
  businessName: string;
  jobrunNumber: string;
  customerPhone: string;
  conversationId: string;
}

/** The job was escalated (again): how urgent, what the tradesperson was told, and how long they have to take it. */
export interface EscalationRaise {
  urgency: 'URGENT' | 'EMERGENCY';
  /** The customer's text that raised it: the base of the chain's idempotency keys. */
  messageSid: string;
  /** The text the tradesperson got; the backup phone gets the same. */
  alertText: string;
  /** What the call says before it asks for 1. */
  script: string;
  /** Advice for a present danger (gas, electrics), repeated to the customer if nobody takes the job. */
  safetyAdvice: string | null;
  /** ESCALATION_ACK_EMERGENCY or ESCALATION_ACK_URGENT. */
  ackWindowMs: number;
}

/** Someone took the job: by text (J12 or 1), by pressing 1 on the call, by texting its customer (a relay), or by closing it. */
export interface JobTaken {
  by: string;
  via: 'text' | 'call' | 'relay' | 'done';
}

/**
 * Carried across continue-as-new. Fields added after the first release are
 * optional: a run carried over from an older one does not have them.
 */
export interface ConversationState {
  transcript: Array<{ direction: 'INBOUND' | 'OUTBOUND'; body: string }>;
  pending: InboundSignal[];
  seenSids: string[];
  job: JobDetails | null;
  escalatedUrgency: UrgencyLevel | null;
  summarySent: boolean;
  /** Our last reply asked for something; a silent customer gets one nudge. */
  awaitingReply?: boolean;
  nudged?: boolean;
  /** Turn start times (workflow ms) within the last hour, and all turns so far: the caps. */
  recentTurns?: number[];
  turns?: number;
  recentTexts?: number[];
  /** The conversation reached its length cap and was handed to the tradesperson. */
  handedOver?: boolean;
  /** Texts from the tradesperson waiting their turn (relay or BOT). */
  fromTradesperson?: TradespersonSignal[];
  /** The tradesperson took the conversation over: when they last texted the customer through JobRun (workflow ms). */
  takenOverAt?: number | null;
  /** The customer asked for a person: handed over as at the length cap, without its notices. */
  personAsked?: boolean;
  /** The job's reference (J and its number), once a text to the tradesperson has needed it. */
  jobReference?: string;
  lastSid?: string;
  client?: ClientSnapshot;
}

type AlertKind =
  | 'SMS_TO_UNASSIGNED_NUMBER'
  | 'INVARIANT_VIOLATION'
  | 'SMS_SEND_FAILED'
  | 'SMS_UNDELIVERED'
  | 'CALL_TO_UNASSIGNED_NUMBER'
  | 'LIMIT_REACHED'
  | 'AI_DEGRADED'
  | 'WORKFLOW_FAILED'
  | 'POOL_EXHAUSTED'
  | 'RECOVERED_FROM_TWILIO'
  | 'RECOVERY_FAILED'
  | 'CALL_FAILED'
  | 'NUMBER_MISCONFIGURED'
  | 'ESCALATION_UNACKNOWLEDGED';

export interface AlertInput {
  kind: AlertKind;
  /** What the alert is about (a client, a number): the dedupe unit with kind. */
  subject: string;
  detail: string;
  /** Workflow ID + step: the alert's own retries are not deduplicated away. */
  sourceKey: string;
  /** Sender when SYSTEM_SMS_NUMBER is not set: the number the customer used. */
  fromHint?: string;
}

/** What operators see in "OnboardingState".step. */
export type OnboardingStep =
  | 'ASK_BUSINESS_NAME'
  | 'ASK_TRADE'
  | 'ASK_SERVICE_AREA'
  | 'CONFIRM'
  | 'WAITING_FOR_NUMBER'
  | 'COMPLETE'
  | 'CANCELLED'
  | 'EXPIRED';

/** The answers so far: "OnboardingState".data. */
export interface OnboardingData {
  businessName?: string;
  trade?: string;
  serviceArea?: string[];
  /** Set once allocated. */
  jobrunNumber?: string;
  /** The text whose handling completed the sign-up: its intake, if re-run, must not answer it again. */
  completedBySid?: string | null;
}

export interface OnboardingSignal {
  messageSid: string;
  body: string;
  receivedAt: string;
}

/** Carried across continue-as-new; the optional fields as for ConversationState. */
export interface OnboardingCarried {
  step: OnboardingStep | 'NEW';
  data: OnboardingData;
  pending: OnboardingSignal[];
  seenSids: string[];
  /** Workflow time (ms) of the last text from the tradesperson. */
  lastInboundAt: number;
  lastSid: string | null;
  reminded: boolean;
  /** WAITING_FOR_NUMBER: since when, the last allocation try and the last operator alert (ms). */
  waitingSince?: number;
  lastTryAt?: number;
  lastAlertAt?: number;
}

export interface OnboardingInput {
  /** The tradesperson's phone (E.164). */
  phone: string;
  /** Our onboarding number: every text is sent from it. */
  onboardingNumber: string;
  /** The ordering window, as for a conversation (CONVERSATION_SETTLE_MS). */
  settleMs?: number;
  carried?: OnboardingCarried;
}
