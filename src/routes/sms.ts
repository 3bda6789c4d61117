import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { E164, MessageSid } from '../identifiers';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Starts } from '../temporal/starts';
import { maskPhone } from '../../workflows/shared/phone-mask';
import { EMPTY_TWIML, parseTwilioForm, parseWebhook, verifyTwilioSignature } from './twilio-webhook';

const SmsWebhook = z.object({
  MessageSid,
  From: E164,
  To: E164,
  Body: z.string().max(5000).default(''),
});

/**
 * Acknowledges an inbound SMS once Temporal durably holds it, as a workflow
 * whose ID is the MessageSid. Nothing slow (no database, no AI) runs here.
 */
export function smsRoute(deps: { config: Config; starts: Starts; metrics: Metrics; logger: Logger }): Router {
  const { config, starts, metrics, logger } = deps;
  const router = Router();
  router.post(
    '/sms',
    parseTwilioForm,
    verifyTwilioSignature(config, () => metrics.smsWebhooks.inc({ outcome: 'forbidden' })),
    async (req, res) => {
      const stopTimer = metrics.webhookAckSeconds.startTimer({ route: '/sms' });
      const sms = parseWebhook(SmsWebhook, req.body, res, 'SMS webhook');
      if (!sms) {
        metrics.smsWebhooks.inc({ outcome: 'invalid' });
        return;
      }
      const log = logger.child({ workflowId: sms.MessageSid, from: maskPhone(sms.From), to: sms.To });
      try {
        const outcome = await starts.inboundSms({ messageSid: sms.MessageSid, from: sms.From, to: sms.To, body: sms.Body, receivedAt: new Date().toISOString() });
        if (outcome === 'duplicate') {
          metrics.smsWebhooks.inc({ outcome: 'duplicate' });
          log.info({ event: 'sms.duplicate' }, 'DUPLICATE MessageSid: already accepted, nothing to do');
        } else {
          metrics.smsWebhooks.inc({ outcome: 'accepted' });
          log.info({ event: 'sms.accepted' }, 'inbound SMS accepted');
        }
      } catch (err) {
        metrics.smsWebhooks.inc({ outcome: 'unavailable' });
        log.error({ event: 'sms.not_accepted', error: (err as Error).message }, 'could not hand the SMS to Temporal; answering 503 so Twilio retries');
        res.status(503).type('text/plain').send('temporarily unable to accept the message\n');
        stopTimer();
        return;
      }
      res.status(200).type('text/xml').send(EMPTY_TWIML);
      stopTimer();
    },
  );
  return router;
}
