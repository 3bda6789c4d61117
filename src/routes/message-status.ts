import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { withTimeout } from '../temporal/client';
import { MESSAGE_STATUS_WORKFLOW } from '../workflow-api';
import { parseTwilioForm, verifyTwilioSignature } from './twilio-webhook';

const StatusCallback = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9A-Za-z]{8,64}$/, 'must be a Twilio message SID (SM...)'),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});

const FINAL = new Set(['delivered', 'undelivered', 'failed']);

/**
 * Outbound SMS status callbacks. Only final states matter; each is handed to
 * a workflow whose ID is the SID plus the state, so Twilio's retries are no-ops.
 */
export function messageStatusRoute({ config, temporal, logger }: { config: Config; temporal: Client; logger: Logger }): Router {
  const router = Router();
  router.post('/api/twilio/message-status', parseTwilioForm, verifyTwilioSignature(config, () => undefined), async (req, res) => {
    const parsed = StatusCallback.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      res.status(400).type('text/plain').send(`invalid status callback: ${String(issue.path[0] ?? 'body')}: ${issue.message}\n`);
      return;
    }
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    if (!FINAL.has(MessageStatus)) {
      res.status(204).end();
      return;
    }
    const workflowId = `message-status:${MessageSid}:${MessageStatus}`;
    try {
      await withTimeout(4000, 'starting the workflow', () =>
        temporal.workflow.start(MESSAGE_STATUS_WORKFLOW, {
          workflowId,
          taskQueue: config.temporal.taskQueue,
          args: [{ messageSid: MessageSid, status: MessageStatus, errorCode: ErrorCode || null }],
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        logger.error({ event: 'message_status.not_accepted', workflowId, error: (err as Error).message }, 'status callback not accepted');
        res.status(503).type('text/plain').send('temporarily unable to accept the callback\n');
        return;
      }
    }
    res.status(204).end();
  });
  return router;
}
