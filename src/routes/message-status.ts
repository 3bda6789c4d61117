import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { MessageSid } from '../identifiers';
import type { Logger } from '../logger';
import type { Starts } from '../temporal/starts';
import { messageStatusWorkflowId } from '../../workflows/shared/ids';
import type { DeliveryReport } from '../../workflows/shared/types';
import { parseTwilioForm, parseWebhook, verifyTwilioSignature } from './twilio-webhook';

const StatusCallback = z.object({
  MessageSid,
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});

const FINAL: ReadonlySet<string> = new Set<DeliveryReport['status']>(['delivered', 'undelivered', 'failed']);
const isFinal = (status: string): status is DeliveryReport['status'] => FINAL.has(status);

/**
 * Outbound SMS status callbacks. Only final states matter; each is handed to
 * a workflow keyed by the SID and the state, so Twilio's retries are no-ops.
 */
export function messageStatusRoute({ config, starts, logger }: { config: Config; starts: Starts; logger: Logger }): Router {
  const router = Router();
  router.post('/api/twilio/message-status', parseTwilioForm, verifyTwilioSignature(config), async (req, res) => {
    const cb = parseWebhook(StatusCallback, req.body, res, 'status callback');
    if (!cb) return;
    if (!isFinal(cb.MessageStatus)) {
      res.status(204).end();
      return;
    }
    try {
      await starts.messageStatus({ messageSid: cb.MessageSid, status: cb.MessageStatus, errorCode: cb.ErrorCode || null });
    } catch (err) {
      logger.error({ event: 'message_status.not_accepted', workflowId: messageStatusWorkflowId(cb.MessageSid, cb.MessageStatus), error: (err as Error).message }, 'status callback not accepted');
      res.status(503).type('text/plain').send('temporarily unable to accept the callback\n');
      return;
    }
    res.status(204).end();
  });
  return router;
}
