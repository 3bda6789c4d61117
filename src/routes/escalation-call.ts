// The call an escalation chain places to the tradesperson (or their backup
// phone): what it says, what pressing 1 does (takes the job and puts them
// through to the customer, showing the JobRun number), and Twilio's status
// callback, which lets the chain move on as soon as the call ends. The path
// carries the call's ledger id, never a phone number; every request is
// signature-checked like any webhook.
import { Router, type Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db';
import { takeJob } from '../jobs/take';
import type { Logger } from '../logger';
import type { Starts } from '../temporal/starts';
import { CALL_PROMPT } from '../../workflows/escalation-text';
import { jobReference } from '../../workflows/shared/job-reference';
import { parseTwilioForm, verifyTwilioSignature } from './twilio-webhook';

const VoiceResponse = twilio.twiml.VoiceResponse;
const SAY = { voice: 'Polly.Amy', language: 'en-GB' } as const;
const FINAL = new Set(['completed', 'no-answer', 'busy', 'failed', 'canceled']);
const CallId = z.string().regex(/^[a-z0-9]{20,40}$/);

interface EscalationCallDeps {
  config: Config;
  db: Db;
  starts: Starts;
  logger: Logger;
}

function twiml(res: Response, vr: InstanceType<typeof VoiceResponse>) {
  res.status(200).type('text/xml').send(vr.toString());
}

/** "J 12": read as a letter and a number. */
const spoken = (number: number) => `J ${number}`;

export function escalationCallRoute({ config, db, starts, logger }: EscalationCallDeps): Router {
  const router = Router();
  const base = config.publicBaseUrl;
  const signed = [parseTwilioForm, verifyTwilioSignature(config)];

  async function callOf(id: string) {
    if (!CallId.safeParse(id).success) return null;
    return db.outboundCall.findUnique({ where: { id }, include: { job: { include: { customer: { select: { phone: true } } } } } });
  }

  function unavailable(res: Response, err: unknown, id: string) {
    logger.error({ event: 'escalation_call.unavailable', callId: id, error: (err as Error).message }, 'could not answer an escalation call');
    const vr = new VoiceResponse();
    vr.say(SAY, "Sorry, JobRun can't look the job up right now. Please check your texts for the job and reply to take it.");
    vr.hangup();
    twiml(res, vr);
  }

  type LedgerCall = NonNullable<Awaited<ReturnType<typeof callOf>>>;
  /** A TwiML route of the call: a call the ledger does not know is hung up; a database that cannot answer is said so. */
  const answering = (route: string, speak: (call: LedgerCall, vr: InstanceType<typeof VoiceResponse>, body: Record<string, string>) => Promise<void> | void) =>
    router.post(route, ...signed, async (req, res) => {
      const id = String(req.params.id);
      const vr = new VoiceResponse();
      try {
        const call = await callOf(id);
        if (call) await speak(call, vr, (req.body ?? {}) as Record<string, string>);
        else vr.hangup();
        return twiml(res, vr);
      } catch (err) {
        return unavailable(res, err, id);
      }
    });

  answering('/voice/escalation/:id', (call, vr) => {
    if (call.job.progress !== 'NEW') {
      vr.say(SAY, `JobRun here. Job ${spoken(call.job.number)} has been taken already. Thank you.`);
      vr.hangup();
      return;
    }
    const gather = vr.gather({ numDigits: 1, timeout: 8, action: `${base}/voice/escalation/${call.id}/press`, method: 'POST' });
    gather.say(SAY, `${call.script} ${CALL_PROMPT}`);
    gather.pause({ length: 1 });
    gather.say(SAY, CALL_PROMPT);
    vr.say(SAY, `No key was pressed. Text ${jobReference(call.job.number)} to take the job. Goodbye.`);
    vr.hangup();
  });

  answering('/voice/escalation/:id/press', async (call, vr, body) => {
    const ref = spoken(call.job.number);
    if (String(body.Digits ?? '') !== '1') {
      vr.say(SAY, `Job ${ref} is still waiting. Text ${jobReference(call.job.number)} to take it. Goodbye.`);
      vr.hangup();
      return;
    }
    // The first press is the take's time: Twilio's retry of this request, or a second press, finds the take its own.
    await db.outboundCall.updateMany({ where: { id: call.id, pressedAt: null }, data: { pressedAt: new Date() } });
    const { pressedAt } = await db.outboundCall.findUniqueOrThrow({ where: { id: call.id }, select: { pressedAt: true } });
    const took = await takeJob(db, starts, logger, { clientId: call.job.clientId, job: { number: call.job.number }, by: call.toNumber, at: pressedAt!.toISOString() }, 'call');
    if (took.outcome === 'taken') {
      logger.info({ event: 'escalation_call.taken', callId: call.id, workflowId: call.workflowId }, 'job taken on the call; putting the tradesperson through');
      vr.say(SAY, `Job ${ref} is yours. Putting you through to the customer now.`);
      vr.dial({ callerId: call.fromNumber, answerOnBridge: true }).number(took.customerPhone);
      return;
    }
    vr.say(SAY, took.outcome === 'done' ? `Job ${ref} is closed already. Goodbye.` : `Job ${ref} was taken already. Goodbye.`);
    vr.hangup();
  });

  router.post('/voice/escalation/:id/status', ...signed, async (req, res) => {
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const status = String(body.CallStatus ?? '');
    try {
      const call = await callOf(id);
      if (call && status) {
        await db.outboundCall.update({ where: { id }, data: { callStatus: status } });
        const callSid = call.twilioSid ?? body.CallSid;
        if (FINAL.has(status) && callSid) await starts.escalationCallEnded(call.workflowId, callSid, status);
      }
    } catch (err) {
      // Twilio does not retry a status callback; the chain moves on when its wait for the call runs out.
      logger.error({ event: 'escalation_call.status_not_recorded', callId: id, error: (err as Error).message }, 'could not record an escalation call status');
    }
    res.status(200).type('text/xml').send(new VoiceResponse().toString());
  });

  return router;
}
