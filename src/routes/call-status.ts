import { createHash } from 'node:crypto';
import { Router } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { CallSid, E164 } from '../identifiers';
import { startMissedCall } from '../voice/missed-call-intake';
import type { NumberRole } from '../../workflows/shared/types';
import { parseTwilioForm, parseWebhook, verifyTwilioSignature } from './twilio-webhook';
import type { VoiceDeps } from './voice';

const VoiceResponse = twilio.twiml.VoiceResponse;

const StatusCallback = z
  .object({
    CallSid: CallSid.optional(),
    From: z.string().default(''),
    To: E164,
    CallStatus: z.string().optional(),
    CallDuration: z.coerce.number().int().min(0).optional(),
    // Present when this is the <Dial action> of a forwarded call.
    DialCallStatus: z.string().optional(),
    DialCallDuration: z.coerce.number().int().min(0).optional(),
  })
  .refine((v) => v.CallStatus || v.DialCallStatus, { message: 'CallStatus is required', path: ['CallStatus'] });

const MISSED = new Set(['no-answer', 'busy', 'failed', 'canceled']);
const FINAL = new Set([...MISSED, 'completed']);

/** Whether this callback means the caller reached nobody, and whether screening must decide. */
function classify(role: NumberRole['role'], status: string, duration: number, viaDial: boolean): { missed: boolean; checkScreening: boolean } {
  // A number of no client never puts the caller through to anyone.
  if (role === 'SYSTEM') return { missed: FINAL.has(status), checkScreening: false };
  if (MISSED.has(status) || (status === 'completed' && duration === 0)) return { missed: true, checkScreening: false };
  // The leg was answered: by the tradesperson, or by their voicemail, which never presses 1.
  if (status === 'completed' && viaDial) return { missed: true, checkScreening: true };
  return { missed: false, checkScreening: false };
}

/**
 * POST /api/twilio/status: the call status callback and the <Dial action> of
 * a forwarded call. A missed call starts the text-back workflow (ID = CallSid).
 */
export function callStatusRoute(deps: VoiceDeps): Router {
  const { config, logger, metrics } = deps;
  const router = Router();
  router.post('/api/twilio/status', parseTwilioForm, verifyTwilioSignature(config), async (req, res) => {
    const cb = parseWebhook(StatusCallback, req.body, res, 'call status callback');
    if (!cb) return;
    const viaDial = cb.DialCallStatus !== undefined;
    const status = (cb.DialCallStatus ?? cb.CallStatus)!;
    const duration = (viaDial ? cb.DialCallDuration : cb.CallDuration) ?? 0;
    // Without a CallSid (hand-made requests) the call is keyed by what it says, per minute.
    const callSid =
      cb.CallSid ??
      `CA-nosid-${createHash('sha256').update(`${cb.From}|${cb.To}|${status}|${Math.floor(Date.now() / 60_000)}`).digest('hex').slice(0, 32)}`;
    const number = await deps.resolveCall(cb.To);
    metrics.callWebhooks.inc({ route: '/api/twilio/status', role: number.role });
    const { missed, checkScreening } = classify(number.role, status, duration, viaDial);

    const vr = new VoiceResponse();
    if (missed && number.role !== 'ONBOARDING') {
      try {
        await startMissedCall(deps, { callSid, from: cb.From, to: cb.To, callStatus: status, number, checkScreening });
      } catch (err) {
        logger.error({ event: 'voice.missed_call_not_accepted', workflowId: callSid, error: (err as Error).message }, 'could not start the text-back; answering 503');
        res.status(503).type('text/plain').send('temporarily unable to accept the callback\n');
        return;
      }
      if (viaDial && !checkScreening) vr.say({ voice: 'Polly.Amy', language: 'en-GB' }, "Sorry we couldn't take your call. We'll send you a text message in a moment.");
    }
    if (viaDial) vr.hangup();
    res.status(200).type('text/xml').send(vr.toString());
  });
  return router;
}
