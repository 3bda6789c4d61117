import { Router } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import type { Config } from '../config';
import { CallSid, E164 } from '../identifiers';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { CallResolver } from '../numbers/call-resolver';
import type { Starts } from '../temporal/starts';
import { startMissedCall } from '../voice/missed-call-intake';
import { maskPhone } from '../../workflows/shared/phone-mask';
import { parseTwilioForm, parseWebhook, verifyTwilioSignature } from './twilio-webhook';

const VoiceResponse = twilio.twiml.VoiceResponse;
const SAY = { voice: 'Polly.Amy', language: 'en-GB' } as const;

const VoiceWebhook = z.object({ CallSid, From: z.string().default(''), To: E164 });
const ScreenQuery = z.object({ parent: CallSid, business: z.string().max(200).default('a customer') });

export interface VoiceDeps {
  config: Config;
  starts: Starts;
  metrics: Metrics;
  logger: Logger;
  resolveCall: CallResolver;
}

function twiml(res: import('express').Response, body: string) {
  res.status(200).type('text/xml').send(body);
}

/**
 * POST /voice: a client's number rings the tradesperson, screened by a
 * whisper so that their voicemail does not count as an answer; any other
 * number gets a short message and (SYSTEM) the fail-safe text at once.
 */
export function voiceRoute(deps: VoiceDeps): Router {
  const { config, logger, metrics } = deps;
  const router = Router();
  const base = config.publicBaseUrl;

  router.post('/voice', parseTwilioForm, verifyTwilioSignature(config), async (req, res) => {
    const call = parseWebhook(VoiceWebhook, req.body, res, 'voice webhook');
    if (!call) return;
    const number = await deps.resolveCall(call.To);
    metrics.callWebhooks.inc({ route: '/voice', role: number.role });
    const vr = new VoiceResponse();
    if (deps.resolveCall.isJobRunNumber(call.From)) {
      logger.info({ event: 'voice.from_jobrun_number', workflowId: call.CallSid, to: call.To }, "a call from one of JobRun's own numbers (an escalation call diverted back): hung up");
      vr.hangup();
      return twiml(res, vr.toString());
    }

    if (number.role === 'CLIENT') {
      const { client } = number;
      const dial = vr.dial({ timeout: client.ringTimeoutSeconds, action: `${base}/api/twilio/status`, method: 'POST', answerOnBridge: true });
      const screen = new URL(`${base}/voice/screen`);
      screen.searchParams.set('parent', call.CallSid);
      screen.searchParams.set('business', client.businessName);
      dial.number({ url: screen.toString(), method: 'POST' }, client.ownerPhone);
      logger.info({ event: 'voice.forwarding', workflowId: call.CallSid, from: maskPhone(call.From), to: call.To }, 'forwarding call to the tradesperson');
      return twiml(res, vr.toString());
    }

    if (number.role === 'ONBOARDING') {
      vr.say(SAY, 'Thanks for calling JobRun. To sign up, please send a text message to this number.');
      vr.hangup();
      return twiml(res, vr.toString());
    }

    vr.say(SAY, "Sorry, we can't take your call right now. We'll send you a text message shortly.");
    vr.hangup();
    try {
      await startMissedCall(deps, { callSid: call.CallSid, from: call.From, to: call.To, callStatus: 'answered-by-failsafe', number, checkScreening: false });
    } catch (err) {
      // The status callback for this call will try again; the caller still hears the message.
      logger.error({ event: 'voice.failsafe_not_started', workflowId: call.CallSid, error: (err as Error).message }, 'fail-safe not started from /voice');
    }
    return twiml(res, vr.toString());
  });

  // Played to the tradesperson when they pick up, before the caller is connected.
  router.post('/voice/screen', parseTwilioForm, verifyTwilioSignature(config), (req, res) => {
    const query = ScreenQuery.safeParse(req.query);
    const vr = new VoiceResponse();
    if (!query.success) {
      vr.hangup();
      return twiml(res, vr.toString());
    }
    const accept = new URL(`${base}/voice/screen/accept`);
    accept.searchParams.set('parent', query.data.parent);
    const gather = vr.gather({ numDigits: 1, timeout: 6, action: accept.toString(), method: 'POST' });
    gather.say(SAY, `JobRun call for ${query.data.business}. Press 1 to accept.`);
    vr.hangup();
    return twiml(res, vr.toString());
  });

  router.post('/voice/screen/accept', parseTwilioForm, verifyTwilioSignature(config), async (req, res) => {
    const query = ScreenQuery.safeParse(req.query);
    const vr = new VoiceResponse();
    const digits = String((req.body as Record<string, string> | undefined)?.Digits ?? '');
    if (!query.success || digits !== '1') {
      vr.hangup();
      return twiml(res, vr.toString());
    }
    try {
      await deps.starts.callAccepted(query.data.parent);
    } catch (err) {
      // Connect the call anyway: at worst the caller also gets a text they did not need.
      logger.error({ event: 'voice.accept_not_recorded', workflowId: query.data.parent, error: (err as Error).message }, 'could not record the accepted call');
    }
    return twiml(res, vr.toString());
  });

  return router;
}
