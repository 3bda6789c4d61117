// Retries and timeouts for every activity live here, not in hand-written
// loops: transient failures retry with backoff for minutes; the error types
// listed as non-retryable end at once in a customer-safe fallback.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FailureType } from './shared/failures';

/**
 * Database work: a lost connection or a restart retries for about a quarter of
 * an hour. Local activities: short Postgres calls run inside the workflow task
 * and are recorded as one marker each, instead of a schedule/start/complete
 * round trip through the Temporal server per call. That server work is what
 * bounds webhook latency and throughput on a small machine (docs/performance.md).
 * Retries past a minute wait on a durable timer, so a long outage still
 * survives a worker restart.
 */
export const db = proxyLocalActivities<
  Pick<
    Activities,
    | 'resolveNumber'
    | 'loadClient'
    | 'recordInbound'
    | 'setOptOut'
    | 'recordAiUsage'
    | 'saveJob'
    | 'setClientPaused'
    | 'takeJob'
    | 'closeJob'
    | 'relayToJob'
    | 'dayDigests'
    | 'raiseEscalation'
    | 'escalationContacts'
    | 'forwardToConversation'
    | 'recordDelivery'
    | 'recordMissedCall'
    | 'recordTextBack'
    | 'noteMissedCall'
    | 'recordHandled'
    | 'saveRecoveryCheckpoint'
  >
>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});

/**
 * A question the database may not be there to answer, asked before a text
 * that must not wait for it: two short tries, then the workflow goes on
 * without the answer.
 */
export const dbIfUp = proxyLocalActivities<Pick<Activities, 'textBackDecision' | 'openJob'>>({
  startToCloseTimeout: '3s',
  retry: { initialInterval: '500ms', maximumAttempts: 2 },
});

/** Twilio, texts and calls: 5xx and 429 retry for about ten minutes; refusals (21211, 21610...) do not. */
export const sms = proxyActivities<Pick<Activities, 'sendSms' | 'sendFailsafeSms' | 'sendWithoutDatabase' | 'placeCall'>>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 15,
    nonRetryableErrorTypes: [FailureType.TwilioPermanent],
  },
});

/** OpenAI: a few minutes of retries; a rejected key or a refusal goes straight to the rules engine. */
export const ai = proxyActivities<Pick<Activities, 'qualifyTurn'>>({
  startToCloseTimeout: '45s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 6,
    nonRetryableErrorTypes: [FailureType.AiPermanent],
  },
});

export const rules = proxyActivities<Pick<Activities, 'qualifyWithRules'>>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 10 },
});

/** Alerts retry longest: an alert that cannot be sent is the one failure nobody would hear of. */
export const alerts = proxyActivities<Pick<Activities, 'alertOperator'>>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '120s',
    maximumAttempts: 25,
    nonRetryableErrorTypes: [FailureType.TwilioPermanent],
  },
});

/** Asks Temporal itself (the screening marker); quick, and retried briefly. */
export const calls = proxyActivities<Pick<Activities, 'wasCallAccepted'>>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10 },
});

/**
 * Reading Twilio's log and starting what it finds: a few minutes of retries
 * (each run is a sweep of its own, every RECOVERY_INTERVAL, and starts again
 * from the checkpoint), nothing for credentials Twilio refuses.
 */
export const recovery = proxyActivities<Pick<Activities, 'sweepTwilioLog'>>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8, nonRetryableErrorTypes: [FailureType.TwilioPermanent] },
});

/** The daily retention's batches: each a short transaction, retried like `db`. */
export const retentionDb = proxyActivities<Pick<Activities, 'expireBatch'>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});

/** Reading the account's numbers at Twilio: a few minutes of retries, nothing for credentials Twilio refuses. */
export const twilioChecks = proxyActivities<Pick<Activities, 'numberDrift'>>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8, nonRetryableErrorTypes: [FailureType.TwilioPermanent] },
});

/** SMS onboarding's database and hand-over work: local and retried like `db`. */
export const onboardingDb = proxyLocalActivities<Pick<Activities, 'forwardToOnboarding' | 'saveOnboardingState' | 'completeOnboarding'>>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});
