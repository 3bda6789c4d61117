import type { AlertInput } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';
import { createSendSms } from './send-sms';

type AlertOutcome = 'sent' | 'logged' | 'suppressed' | 'deduplicated';

const DEDUPE_WINDOW_MS = 15 * 60_000;

/**
 * Tells the operator, by SMS to FOUNDER_PHONE. The same kind and subject
 * within 15 minutes is one alert with a count. Every alert, sent or not, is
 * a row in OperatorAlert and an error log line, so suppression (the
 * ALERTS_DISABLED kill switch) is never invisible.
 */
export function createAlertOperator(deps: ActivityDeps) {
  const { db, config, logger, metrics } = deps;
  const sendSms = createSendSms(deps);

  /** The optional JSON POST; a failure throws, so Temporal retries the whole (idempotent) alert. */
  async function postWebhook(input: AlertInput, count: number) {
    if (!config.alerts.webhookUrl) return;
    const res = await fetch(config.alerts.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': input.sourceKey },
      body: JSON.stringify({ service: 'jobrun', kind: input.kind, subject: input.subject, detail: input.detail, count, at: new Date().toISOString() }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`alert webhook answered ${res.status}`);
  }

  /**
   * Records the alert, or counts it as a repeat of one raised for the same kind
   * and subject in the last 15 minutes (a sliding window: 14:59 and 15:01 are
   * one alert). An advisory lock per kind+subject makes the check-then-insert
   * atomic across workers. A retry of the alert that raised the row finds its
   * own sourceKey and goes on to send.
   */
  async function record(input: AlertInput, outcome: AlertOutcome): Promise<'new' | 'retry' | 'repeat'> {
    return db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${input.kind}:${input.subject}`}))`;
      const own = await tx.operatorAlert.findUnique({ where: { sourceKey: input.sourceKey } });
      if (own) return 'retry';
      const recent = await tx.operatorAlert.findFirst({
        where: { kind: input.kind, subject: input.subject, createdAt: { gt: new Date(Date.now() - DEDUPE_WINDOW_MS) } },
        orderBy: { createdAt: 'desc' },
      });
      if (recent) {
        await tx.operatorAlert.update({ where: { id: recent.id }, data: { count: { increment: 1 } } });
        return 'repeat';
      }
      await tx.operatorAlert.create({
        data: { sourceKey: input.sourceKey, kind: input.kind, subject: input.subject, detail: input.detail, outcome },
      });
      return 'new';
    });
  }

  return async function alertOperator(input: AlertInput): Promise<AlertOutcome> {
    const log = activityLogger(logger).child({ alertKind: input.kind, subject: input.subject });
    const firstOutcome: AlertOutcome = !config.alerts.enabled ? 'suppressed' : config.founderPhone ? 'sent' : 'logged';
    if ((await record(input, firstOutcome)) === 'repeat') {
      log.error({ event: 'alert.deduplicated', detail: input.detail }, `OPERATOR ALERT (repeat within 15 min): ${input.kind}`);
      metrics.alerts.inc({ kind: input.kind, outcome: 'deduplicated' });
      return 'deduplicated';
    }
    if (firstOutcome === 'suppressed') {
      log.warn({ event: 'alert.suppressed', detail: input.detail }, `OPERATOR ALERT SUPPRESSED (ALERTS_DISABLED=true): ${input.kind}`);
      metrics.alerts.inc({ kind: input.kind, outcome: 'suppressed' });
      return 'suppressed';
    }
    log.error({ event: 'alert.raised', detail: input.detail }, `OPERATOR ALERT: ${input.kind}`);
    await postWebhook(input, 1);
    const from = config.systemSmsNumber ?? input.fromHint;
    if (!config.founderPhone || !from) {
      if (config.founderPhone) log.error({ event: 'alert.no_sender' }, 'no sender for the alert SMS: set SYSTEM_SMS_NUMBER');
      metrics.alerts.inc({ kind: input.kind, outcome: 'logged' });
      return 'logged';
    }
    const body = `JobRun ALERT ${input.kind}: ${input.subject}. ${input.detail}`.slice(0, 320);
    await sendSms({ idempotencyKey: `${input.sourceKey}:alert`, purpose: 'alert', to: config.founderPhone, from, body });
    metrics.alerts.inc({ kind: input.kind, outcome: 'sent' });
    return 'sent';
  };
}
