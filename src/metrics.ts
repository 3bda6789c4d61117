// One Prometheus registry per process: the API serves it at GET /metrics, a
// lone worker on WORKER_METRICS_PORT; `npm start` runs both in one process,
// so its /metrics has both.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'jobrun_' });
  return {
    registry,
    smsWebhooks: new Counter({
      name: 'jobrun_sms_webhooks_total',
      help: 'Inbound SMS webhooks by outcome (accepted, duplicate, forbidden, invalid, unavailable)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookAckSeconds: new Histogram({
      name: 'jobrun_webhook_ack_seconds',
      help: 'Time from webhook arrival to the TwiML answer',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    textbackSkipped: new Counter({
      name: 'jobrun_textback_skipped_total',
      help: 'Missed calls not texted back because the caller cannot receive SMS (landline, foreign, withheld)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    callWebhooks: new Counter({
      name: 'jobrun_call_webhooks_total',
      help: 'Voice webhooks and call status callbacks by route and number role',
      labelNames: ['route', 'role'] as const,
      registers: [registry],
    }),
    inboundSms: new Counter({
      name: 'jobrun_inbound_sms_total',
      help: 'Inbound SMS by the role of the number texted (CLIENT, ONBOARDING, SYSTEM)',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    outboundSms: new Counter({
      name: 'jobrun_outbound_sms_total',
      help: 'Outbound SMS by purpose and result (sent, simulated, reconciled, suppressed, failed, retrying)',
      labelNames: ['purpose', 'result'] as const,
      registers: [registry],
    }),
    aiTurns: new Counter({
      name: 'jobrun_ai_turns_total',
      help: 'Qualification turns by engine and outcome (ok, failed, fallback)',
      labelNames: ['engine', 'outcome'] as const,
      registers: [registry],
    }),
    aiLatencySeconds: new Histogram({
      name: 'jobrun_ai_latency_seconds',
      help: 'Time for one OpenAI call',
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers: [registry],
    }),
    alerts: new Counter({
      name: 'jobrun_operator_alerts_total',
      help: 'Operator alerts by kind and outcome (sent, logged, suppressed, deduplicated)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    recovered: new Counter({
      name: 'jobrun_recovered_total',
      help: "Inbound texts and calls found in Twilio's log that no webhook had brought, by kind (sms, call)",
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    voiceSystemFailsafeIntake: new Counter({
      name: 'voice_system_failsafe_intake',
      help: 'Missed calls to numbers that belong to no client, answered by the generic fail-safe text',
      labelNames: ['isKnown', 'callStatus'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

let processMetrics: Metrics | undefined;

/** The process's registry, shared by the API and the worker when they run together. */
export function metricsForProcess(): Metrics {
  processMetrics ??= createMetrics();
  return processMetrics;
}

/** Whether a request may read /metrics: anyone without METRICS_TOKEN, else only its bearer. */
export function metricsAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const given = createHash('sha256').update(authorization ?? '').digest();
  return timingSafeEqual(given, createHash('sha256').update(`Bearer ${token}`).digest());
}
