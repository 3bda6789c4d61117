// One Prometheus registry per process, served at GET /metrics.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
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
    voiceSystemFailsafeIntake: new Counter({
      name: 'voice_system_failsafe_intake',
      help: 'Missed calls to numbers that belong to no client, answered by the generic fail-safe text',
      labelNames: ['isKnown', 'callStatus'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
