import { ApplicationFailure, Context } from '@temporalio/activity';
import { resolveNumberRole } from '../src/numbers/resolve';
import { isJobRunRole } from '../src/numbers/call-resolver';
import type { LoggedCall, LoggedText } from '../src/twilio/account-log';
import { startMissedCall } from '../src/voice/missed-call-intake';
import { FailureType } from '../workflows/shared/failures';
import { maskPhone } from '../workflows/shared/phone-mask';
import type { SweepResult } from '../workflows/shared/types';
import { isCallAccepted } from './call-accepted';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

/** Twilio refusing JobRun's credentials is for a person to fix; anything else is retried. */
async function readingTwilio<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const { status, code, message } = err as { status?: number; code?: number; message?: string };
    if (status === 401 || status === 403) {
      throw ApplicationFailure.nonRetryable(`Twilio refused JobRun's credentials (${code ?? status}): ${message ?? ''}`, FailureType.TwilioPermanent);
    }
    throw err;
  }
}

/** Each sweep reads this far back past its checkpoint: Twilio's log may show an item a little late. */
const OVERLAP_MS = 2 * 60_000;
/** Where the very first sweep starts (no checkpoint yet). */
const FIRST_LOOKBACK_MS = 15 * 60_000;

type Kind = 'texts' | 'calls';

/**
 * Twilio's log is the source of truth for what reached JobRun: the sweep
 * finds every inbound text and call that JobRun has not handled and starts
 * the very workflow its webhook would have started, with the same ID (the
 * MessageSid, the CallSid), so whatever did arrive by webhook is a no-op.
 */
export function createRecoveryActivities(deps: ActivityDeps) {
  const { db, twilioLog, starts, temporal, config, logger, metrics } = deps;

  async function since(kind: Kind): Promise<Date> {
    const checkpoint = await db.recoveryCheckpoint.findUnique({ where: { kind } });
    return new Date((checkpoint?.until.getTime() ?? Date.now() - FIRST_LOOKBACK_MS) - OVERLAP_MS);
  }

  /** Handled already, even if Temporal's retention has forgotten its workflow. */
  async function handled(sid: string, kind: Kind): Promise<boolean> {
    if (await db.handledInbound.findUnique({ where: { sid }, select: { sid: true } })) return true;
    return kind === 'texts' && (await db.message.count({ where: { twilioSid: sid } })) > 0;
  }

  async function recoverText(text: LoggedText): Promise<boolean> {
    const outcome = await starts.inboundSms({ messageSid: text.sid, from: text.from, to: text.to, body: text.body, receivedAt: text.receivedAt.toISOString() });
    return outcome === 'started';
  }

  async function recoverCall(call: LoggedCall): Promise<boolean> {
    const number = await resolveNumberRole(db, call.to);
    if (number.role === 'ONBOARDING') return false;
    // The tradesperson picked up and pressed 1 (their voicemail never does): nothing was missed.
    if (call.dialledLegAnswered && (await isCallAccepted(temporal, call.sid))) {
      await db.handledInbound.createMany({ data: [{ sid: call.sid, kind: 'CALL', outcome: 'answered' }], skipDuplicates: true });
      return false;
    }
    const late = Date.now() - call.startedAt.getTime() > config.recovery.maxCallAgeMs;
    const outcome = await startMissedCall({ ...deps, resolveCall: { isJobRunNumber: async (phone) => isJobRunRole(await resolveNumberRole(db, phone)) } }, {
      callSid: call.sid,
      from: call.from,
      to: call.to,
      callStatus: call.status,
      number,
      checkScreening: call.dialledLegAnswered,
      ...(late ? { late: { calledAt: call.startedAt.toISOString() } } : {}),
    });
    return outcome === 'started';
  }

  return {
    async sweepTwilioLog(): Promise<SweepResult> {
      if (!twilioLog) throw ApplicationFailure.nonRetryable('no Twilio credentials: there is no log to read', FailureType.TwilioPermanent);
      const log = activityLogger(logger);
      const [texts, calls] = await readingTwilio(async () => [await twilioLog.inboundTexts(await since('texts')), await twilioLog.inboundCalls(await since('calls'))] as const);
      const recovered = { texts: 0, calls: 0 };
      for (const text of texts.items) {
        Context.current().heartbeat();
        if ((await handled(text.sid, 'texts')) || !(await recoverText(text))) continue;
        recovered.texts += 1;
        metrics.recovered.inc({ kind: 'sms' });
        log.warn({ event: 'recovery.text', workflowId: text.sid, from: maskPhone(text.from), to: text.to }, 'a text that no webhook brought, found in Twilio\'s log: handling it now');
      }
      for (const call of calls.items) {
        Context.current().heartbeat();
        if ((await handled(call.sid, 'calls')) || !(await recoverCall(call))) continue;
        recovered.calls += 1;
        metrics.recovered.inc({ kind: 'call' });
        log.warn({ event: 'recovery.call', workflowId: call.sid, from: maskPhone(call.from), to: call.to, callStatus: call.status }, 'a call that no webhook brought, found in Twilio\'s log: handling it now');
      }
      return {
        textsUntil: texts.until.toISOString(),
        callsUntil: calls.until.toISOString(),
        read: { texts: texts.items.length, calls: calls.items.length },
        recovered,
        twilioRequests: texts.requests + calls.requests,
      };
    },

    /** Moves the checkpoints: only ever forwards, so a late retry of an older sweep cannot move one back. */
    async saveRecoveryCheckpoint(input: { textsUntil: string; callsUntil: string }): Promise<void> {
      for (const [kind, until] of [
        ['texts', input.textsUntil],
        ['calls', input.callsUntil],
      ] as const) {
        await db.$executeRaw`
          INSERT INTO "RecoveryCheckpoint" (kind, until, "updatedAt") VALUES (${kind}, ${new Date(until)}, now())
          ON CONFLICT (kind) DO UPDATE SET until = GREATEST("RecoveryCheckpoint".until, EXCLUDED.until), "updatedAt" = now()`;
      }
    },

    /** The end of an inbound text's or call's handling, whatever came of it. */
    async recordHandled(input: { sid: string; kind: 'SMS' | 'CALL'; outcome: string }): Promise<void> {
      await db.handledInbound.createMany({ data: [input], skipDuplicates: true });
    },
  };
}
