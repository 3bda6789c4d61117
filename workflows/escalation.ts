// One escalation chain per job (ID escalation:<job id>): an URGENT or
// EMERGENCY job that nobody takes within its window rings the tradesperson,
// then their backup phone (a text and a call), then tells the operator and
// the customer. Durable timers throughout, so a restart loses none of it;
// quiet hours play no part. Taking the job, by text or by pressing 1 on the
// call, stops it wherever it is.
import { condition, defineQuery, defineSignal, isCancellation, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { db, sms } from './activity-options';
import { alertOperator, describeFailure } from './alerts';
import { jobTaken, stillTrying } from './escalation-text';
import { SA } from './shared/search-attributes';
import type { EscalationInput, EscalationRaise, JobTaken } from './shared/types';
import { severity } from './shared/urgency';

export const escalationRaisedSignal = defineSignal<[EscalationRaise]>('raised');
export const jobTakenSignal = defineSignal<[JobTaken]>('taken');
/** Twilio's final status of one of the chain's calls, by its CallSid. */
export const callEndedSignal = defineSignal<[{ callSid: string; status: string }]>('call-ended');

type Stage = 'window' | 'calling' | 'backup' | 'operator-told' | 'waiting-late' | 'finished';
export const escalationProgressQuery = defineQuery<{ stage: Stage; urgency: string | null; taken: JobTaken | null }>('progress');

/** 'taken-before': the database had it taken (or gone) before a step, without a signal saying how. */
export type EscalationOutcome = 'taken' | 'taken-before' | 'unacknowledged';

/** After a call is placed, how long the chain waits for it to end (Twilio's status callback usually says sooner). */
const CALL_WAIT = '3m';
/** After the operator is told, a take still reaches the customer (and a higher urgency starts a new round) for this long. */
const LATE_TAKE_WAIT = '12h';

export async function escalation(input: EscalationInput): Promise<EscalationOutcome> {
  const wfId = workflowInfo().workflowId;
  let raise: EscalationRaise | undefined;
  let deadline = 0;
  let raises = 0;
  let taken: JobTaken | null = null;
  let stage: Stage = 'window';
  const ended = new Set<string>();

  setHandler(escalationRaisedSignal, (r) => {
    if (raise && severity(r.urgency) <= severity(raise.urgency)) return;
    // A job raised to EMERGENCY mid-window gets the shorter window, from now.
    deadline = raise ? Math.min(deadline, Date.now() + r.ackWindowMs) : Date.now() + r.ackWindowMs;
    raise = r;
    raises += 1;
    upsertSearchAttributes([{ key: SA.urgency, value: r.urgency }]);
  });
  setHandler(jobTakenSignal, (t) => void (taken ??= t));
  setHandler(callEndedSignal, (c) => void ended.add(c.callSid));
  setHandler(escalationProgressQuery, () => ({ stage, urgency: raise?.urgency ?? null, taken }));

  await condition(() => raise !== undefined);
  const r = () => raise!;
  // A round's steps are keyed by the raise that began it: the same round never texts or rings twice.
  let roundSid = r().messageSid;
  // Alerts name the job: two jobs of one client unanswered in the same quarter hour are two alerts.
  const subject = `${input.clientId}:${input.reference}`;

  async function text(step: string, to: string, body: string, toCustomer = false) {
    try {
      await sms.sendSms({
        idempotencyKey: `${wfId}:${step}:${roundSid}`,
        purpose: toCustomer ? 'reply' : 'escalation',
        to,
        from: input.jobrunNumber,
        body,
        conversationId: toCustomer ? input.conversationId : undefined,
      });
    } catch (err) {
      if (isCancellation(err)) throw err;
      await alertOperator(`${step}-failed:${roundSid}`, {
        kind: 'SMS_SEND_FAILED',
        subject,
        detail: `The ${step} text of ${input.reference} for ${input.businessName} could not be sent (${describeFailure(err)}).`,
        fromHint: input.jobrunNumber,
      });
    }
  }

  /** Rings one phone and waits for the call to end; true when the job was taken meanwhile. */
  async function ring(step: string, to: string): Promise<boolean> {
    let callSid: string;
    try {
      ({ sid: callSid } = await sms.placeCall({ idempotencyKey: `${wfId}:${step}:${roundSid}`, jobId: input.jobId, to, from: input.jobrunNumber, script: r().script }));
    } catch (err) {
      if (isCancellation(err)) throw err;
      await alertOperator(`${step}-failed:${roundSid}`, {
        kind: 'CALL_FAILED',
        subject,
        detail: `The ${r().urgency} escalation call for ${input.reference} of ${input.businessName} could not be placed (${describeFailure(err)}); the chain goes on without it.`,
        fromHint: input.jobrunNumber,
      });
      return taken !== null;
    }
    await condition(() => taken !== null || ended.has(callSid), CALL_WAIT);
    return taken !== null;
  }

  /** The job as the database has it: a take whose signal was lost still counts. */
  const stillOpen = async () => {
    const contacts = await db.escalationContacts({ jobId: input.jobId });
    return contacts?.progress === 'NEW' ? contacts : null;
  };
  const over = () => (taken ? 'taken' : 'taken-before');

  /** One round: the window, the call, the backup phone, the operator and the customer. */
  async function round(): Promise<EscalationOutcome> {
    if (!(await stillOpen())) return over();
    while (taken === null) {
      const seen = raises;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await condition(() => taken !== null || raises !== seen, left);
    }
    if (taken) return 'taken';

    stage = 'calling';
    const open = await stillOpen();
    if (!open) return over();
    if (await ring('call-owner', open.ownerPhone)) return 'taken';

    const afterCall = await stillOpen();
    if (!afterCall) return over();
    if (afterCall.backupPhone) {
      stage = 'backup';
      await text('backup-text', afterCall.backupPhone, r().alertText);
      if (await ring('call-backup', afterCall.backupPhone)) return 'taken';
      if (!(await stillOpen())) return over();
    }

    stage = 'operator-told';
    await alertOperator(`unacknowledged:${roundSid}`, {
      kind: 'ESCALATION_UNACKNOWLEDGED',
      subject,
      detail: `${r().urgency} job ${input.reference} for ${input.businessName} has not been taken: texted and rang the tradesperson${afterCall.backupPhone ? ' and the backup phone' : ''}. Ring them, or the customer (see the job in jobrun jobs list).`,
      fromHint: input.jobrunNumber,
    });
    await text('customer-still-trying', input.customerPhone, stillTrying(input.businessName, r().safetyAdvice), true);
    return 'unacknowledged';
  }

  try {
    for (;;) {
      let outcome = await round();
      if (outcome === 'unacknowledged') {
        stage = 'waiting-late';
        const seen = raises;
        await condition(() => taken !== null || raises !== seen, LATE_TAKE_WAIT);
        if (taken === null && raises !== seen) {
          // Raised to a higher urgency after the operator was told: a new round, from a new window.
          roundSid = r().messageSid;
          deadline = Date.now() + r().ackWindowMs;
          stage = 'window';
          continue;
        }
        if (taken === null) break;
        outcome = 'taken';
      }
      stage = 'finished';
      // Set by a signal handler, which the compiler cannot see.
      const how = (taken as JobTaken | null)?.via;
      if (outcome === 'taken' && how === 'text') await text('customer-taken', input.customerPhone, jobTaken(input.businessName), true);
      return outcome;
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator(`chain-failed:${roundSid}`, {
      kind: 'WORKFLOW_FAILED',
      subject,
      detail: `The escalation chain of ${r().urgency} job ${input.reference} for ${input.businessName} failed (${describeFailure(err)}) at its ${stage} step. Ring the tradesperson; then fix the cause and reset ${wfId}.`,
      fromHint: input.jobrunNumber,
    });
    throw err;
  }
  stage = 'finished';
  return 'unacknowledged';
}
