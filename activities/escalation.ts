// A job's escalation chain from the outside: raising it (the job, its
// window from configuration, the safety advice its texts call for), who to
// ring, and ringing them through Twilio's Calls API at most once per step.
import { ApplicationFailure } from '@temporalio/activity';
import { isUniqueViolation } from '../src/db';
import { triage } from '../src/qualification/rules';
import { SmsSendError, isPermanentSmsError } from '../src/twilio/sms-transport';
import type { OutgoingCall } from '../src/twilio/call-transport';
import { callScript } from '../workflows/escalation-text';
import { FailureType } from '../workflows/shared/failures';
import { jobReference } from '../workflows/shared/job-reference';
import { maskPhone } from '../workflows/shared/phone-mask';
import type { JobDetails } from '../workflows/shared/turn';
import type { EscalationRaise } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';
import { activityLogger, currentWorkflowId } from './deps';
import { openJob, permanentIfData, type JobKey } from './save-job';

interface RaiseInput extends JobKey {
  customerPhone: string;
  jobrunNumber: string;
  businessName: string;
  urgency: EscalationRaise['urgency'];
  messageSid: string;
  alertText: string;
  /** The customer's texts: the safety advice the customer is reminded of comes from them. */
  customerTexts: string[];
  job: Pick<JobDetails, 'tradeCategory' | 'description' | 'postcode'>;
}

interface PlaceCallInput {
  /** Built in the workflow (workflow ID + step): the same key never rings twice. */
  idempotencyKey: string;
  jobId: string;
  to: string;
  from: string;
  script: string;
}

/** How long Twilio lets the phone ring before it counts as no answer. */
const RING_SECONDS = 30;
/** How far back a retry looks in Twilio's call list for its own first attempt. */
const RECONCILE_SLACK_MS = 60_000;

export function createEscalationActivities({ db, calls, starts, config, logger }: Pick<ActivityDeps, 'db' | 'calls' | 'starts' | 'config' | 'logger'>) {
  const base = config.publicBaseUrl;
  const outgoing = (id: string, input: PlaceCallInput): OutgoingCall => ({
    to: input.to,
    from: input.from,
    url: `${base}/voice/escalation/${id}`,
    statusCallback: `${base}/voice/escalation/${id}/status`,
    ringSeconds: RING_SECONDS,
  });

  async function findPlacedOrRetry(call: OutgoingCall, since: Date) {
    const known = await db.outboundCall.findMany({ where: { toNumber: call.to, fromNumber: call.from, twilioSid: { not: null } }, select: { twilioSid: true } });
    try {
      return await calls.findPlaced(call, since, new Set(known.map((k) => k.twilioSid!)));
    } catch (err) {
      // Without Twilio's answer, placing it again could ring twice: wait for the next attempt.
      throw ApplicationFailure.retryable(`cannot check Twilio for an earlier call: ${(err as Error).message}`, 'TwilioTransientError');
    }
  }

  return {
    /** Opens the job if need be and raises its chain, with the window for its urgency. */
    async raiseEscalation(input: RaiseInput): Promise<{ workflowId: string; reference: string }> {
      const job = await openJob(db, input).catch((err: unknown) => {
        throw permanentIfData(err);
      });
      const reference = jobReference(job.number);
      const workflowId = await starts.escalation(
        {
          jobId: job.id,
          clientId: input.clientId,
          reference,
          businessName: input.businessName,
          jobrunNumber: input.jobrunNumber,
          customerPhone: input.customerPhone,
          conversationId: input.conversationId,
        },
        {
          urgency: input.urgency,
          messageSid: input.messageSid,
          alertText: input.alertText,
          script: callScript(input.urgency, input.businessName, reference, input.job),
          safetyAdvice: triage(input.customerTexts.join('\n')).safetyAdvice ?? null,
          ackWindowMs: input.urgency === 'EMERGENCY' ? config.escalation.ackEmergencyMs : config.escalation.ackUrgentMs,
        },
      );
      return { workflowId, reference };
    },

    /** Who to ring for a job, and whether it is still waiting to be taken; null when the job is gone. */
    async escalationContacts(input: { jobId: string }): Promise<{ progress: string; ownerPhone: string; backupPhone: string | null } | null> {
      const job = await db.job.findUnique({ where: { id: input.jobId }, select: { progress: true, client: { select: { phoneNumber: true, backupPhone: true } } } });
      return job && { progress: job.progress, ownerPhone: job.client.phoneNumber, backupPhone: job.client.backupPhone };
    },

    /**
     * Rings a phone at most once per idempotency key. The ledger row is
     * written before the request to Twilio and completed after it; a retry
     * that finds it still PENDING asks Twilio's call list whether the first
     * attempt got there before placing it again.
     */
    async placeCall(input: PlaceCallInput): Promise<{ sid: string; status: 'PLACED' | 'SIMULATED'; reconciled: boolean }> {
      const log = activityLogger(logger).child({ idempotencyKey: input.idempotencyKey, to: maskPhone(input.to) });
      let row = await db.outboundCall.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
      if (row?.twilioSid && (row.status === 'PLACED' || row.status === 'SIMULATED')) return { sid: row.twilioSid, status: row.status, reconciled: true };
      if (row?.status === 'FAILED') {
        throw ApplicationFailure.nonRetryable(`call ${input.idempotencyKey} failed permanently before (${row.errorCode})`, FailureType.TwilioPermanent, { code: row.errorCode });
      }
      const complete = async (id: string, sid: string, status: 'PLACED' | 'SIMULATED') => {
        await db.outboundCall.update({ where: { id }, data: { status, twilioSid: sid, placedAt: new Date() } });
      };
      if (row && !calls.simulated) {
        const found = await findPlacedOrRetry(outgoing(row.id, input), new Date(row.createdAt.getTime() - RECONCILE_SLACK_MS));
        if (found) {
          await complete(row.id, found, 'PLACED');
          log.warn({ event: 'call.reconciled', sid: found }, 'earlier attempt had reached Twilio; not ringing again');
          return { sid: found, status: 'PLACED', reconciled: true };
        }
      }
      if (!row) {
        try {
          row = await db.outboundCall.create({
            data: { idempotencyKey: input.idempotencyKey, jobId: input.jobId, toNumber: input.to, fromNumber: input.from, script: input.script, workflowId: currentWorkflowId() },
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw ApplicationFailure.retryable('call ledger row raced', 'LedgerRace');
          throw err;
        }
      }
      await db.outboundCall.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
      try {
        const placed = await calls.place(outgoing(row.id, input));
        const status = calls.simulated ? 'SIMULATED' : 'PLACED';
        await complete(row.id, placed.sid, status);
        log.info({ event: calls.simulated ? 'call.simulated' : 'call.placed', sid: placed.sid, from: input.from }, calls.simulated ? 'call kept in the local outbox (no Twilio credentials): see "OutboundCall"' : 'call placed');
        return { sid: placed.sid, status, reconciled: false };
      } catch (err) {
        if (!(err instanceof SmsSendError)) throw err;
        if (isPermanentSmsError(err)) {
          await db.outboundCall.update({ where: { id: row.id }, data: { status: 'FAILED', errorCode: String(err.code ?? err.status) } });
          log.error({ event: 'call.failed_permanently', code: err.code, status: err.status }, 'Twilio refused the call; not retrying');
          throw ApplicationFailure.nonRetryable(err.message, FailureType.TwilioPermanent, { code: err.code ?? null, status: err.status ?? null });
        }
        log.warn({ event: 'call.place_failed', code: err.code, status: err.status }, 'placing the call failed; Temporal will retry');
        throw ApplicationFailure.retryable(err.message, 'TwilioTransientError');
      }
    },
  };
}
