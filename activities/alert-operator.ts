import { ApplicationFailure, Context } from '@temporalio/activity';
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
  const { db, sms, config, logger, metrics } = deps;
  const sendSms = createSendSms(deps);
  const smsBody = (input: AlertInput) => `JobRun ALERT ${input.kind}: ${input.subject}. ${input.detail}`.slice(0, 320);

  /**
   * Postgres is down, so neither deduplication nor the send ledger can be
   * used: the alert goes out anyway (an alert kept back is the failure nobody
   * hears of), exactly once by asking Twilio first, like the fail-safe text.
   */
  async function sendWithoutDatabase(input: AlertInput): Promise<string | null> {
    const from = config.systemSmsNumber ?? input.fromHint;
    if (!config.founderPhone || !from) return null;
    await postWebhook(input, 1);
    const outgoing = { to: config.founderPhone, from, body: smsBody(input) };
    const since = new Date(Context.current().info.scheduledTimestampMs - 60_000);
    return (sms.simulated ? null : await sms.findSent(outgoing, since, new Set())) ?? (await sms.send(outgoing)).sid;
  }

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

  /** The send ledger's row for an alert that went out while Postgres was down. */
  async function recordSentEarlier(input: AlertInput, sid: string): Promise<void> {
    await db.outboundMessage.createMany({
      data: [
        {
          idempotencyKey: `${input.sourceKey}:alert`,
          purpose: 'alert',
          toNumber: config.founderPhone!,
          fromNumber: config.systemSmsNumber ?? input.fromHint ?? '',
          body: smsBody(input),
          status: 'SENT',
          twilioSid: sid,
          attempts: 1,
          workflowId: Context.current().info.workflowExecution?.workflowId ?? 'standalone-activity',
          sentAt: new Date(),
        },
      ],
      skipDuplicates: true,
    });
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
    // An earlier attempt sent it while Postgres was down; this one is to record it.
    const sentEarlier = (Context.current().info.heartbeatDetails as { sentWithoutDatabase?: string | null } | undefined)?.sentWithoutDatabase;
    let recorded: Awaited<ReturnType<typeof record>>;
    try {
      recorded = await record(input, firstOutcome);
    } catch (err) {
      // Deduplication fails open: without Postgres every alert goes out, and is recorded once Postgres answers.
      if (sentEarlier === undefined && firstOutcome === 'sent') {
        const sid = await sendWithoutDatabase(input);
        Context.current().heartbeat({ sentWithoutDatabase: sid });
        log.error({ event: 'alert.raised_without_database', detail: input.detail, error: (err as Error).message }, `OPERATOR ALERT (not yet recorded: Postgres is down): ${input.kind}`);
      }
      throw ApplicationFailure.retryable(`the alert cannot be recorded yet: ${(err as Error).message}`, 'AlertNotRecorded');
    }
    if (sentEarlier !== undefined) {
      if (sentEarlier && recorded !== 'repeat') await recordSentEarlier(input, sentEarlier);
      metrics.alerts.inc({ kind: input.kind, outcome: 'sent' });
      return 'sent';
    }
    if (recorded === 'repeat') {
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
    await sendSms({ idempotencyKey: `${input.sourceKey}:alert`, purpose: 'alert', to: config.founderPhone, from, body: smsBody(input) });
    metrics.alerts.inc({ kind: input.kind, outcome: 'sent' });
    return 'sent';
  };
}
