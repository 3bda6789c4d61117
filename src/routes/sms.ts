import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { E164, maskPhone, phoneHash } from '../phone';
import { SA } from '../search-attributes';
import { withTimeout } from '../temporal/client';
import { INBOUND_SMS_WORKFLOW, type InboundSmsInput } from '../workflow-api';
import { EMPTY_TWIML, parseTwilioForm, verifyTwilioSignature } from './twilio-webhook';

const SmsWebhook = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9A-Za-z]{8,64}$/, 'must be a Twilio message SID (SM...)'),
  From: E164,
  To: E164,
  Body: z.string().max(5000).default(''),
});

/** How long Temporal gets to take the message before Twilio is asked to retry (its own limit is 15 s). */
const ACCEPT_DEADLINE_MS = 4000;

/**
 * Acknowledges an inbound SMS once Temporal durably holds it, as a workflow
 * whose ID is the MessageSid. Nothing slow (no database, no AI) runs here.
 */
export function smsRoute(deps: { config: Config; temporal: Client; metrics: Metrics; logger: Logger }): Router {
  const { config, temporal, metrics, logger } = deps;
  const router = Router();
  router.post(
    '/sms',
    parseTwilioForm,
    verifyTwilioSignature(config, () => metrics.smsWebhooks.inc({ outcome: 'forbidden' })),
    async (req, res) => {
      const stopTimer = metrics.webhookAckSeconds.startTimer({ route: '/sms' });
      const parsed = SmsWebhook.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        metrics.smsWebhooks.inc({ outcome: 'invalid' });
        res.status(400).type('text/plain').send(`invalid SMS webhook: ${String(issue.path[0] ?? 'body')}: ${issue.message}\n`);
        return;
      }
      const sms = parsed.data;
      const workflowId = sms.MessageSid;
      const log = logger.child({ workflowId, from: maskPhone(sms.From), to: sms.To });
      const input: InboundSmsInput = {
        messageSid: sms.MessageSid,
        from: sms.From,
        to: sms.To,
        body: sms.Body,
        receivedAt: new Date().toISOString(),
      };
      try {
        await withTimeout(ACCEPT_DEADLINE_MS, 'starting the workflow', () =>
          temporal.workflow.start(INBOUND_SMS_WORKFLOW, {
            workflowId,
            taskQueue: config.temporal.taskQueue,
            args: [input],
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
            typedSearchAttributes: [{ key: SA.customerHash, value: phoneHash(sms.From) }],
          }),
        );
        metrics.smsWebhooks.inc({ outcome: 'accepted' });
        log.info({ event: 'sms.accepted' }, 'inbound SMS accepted');
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          metrics.smsWebhooks.inc({ outcome: 'duplicate' });
          log.info({ event: 'sms.duplicate' }, 'DUPLICATE MessageSid: already accepted, nothing to do');
        } else {
          metrics.smsWebhooks.inc({ outcome: 'unavailable' });
          log.error({ event: 'sms.not_accepted', error: (err as Error).message }, 'could not hand the SMS to Temporal; answering 503 so Twilio retries');
          res.status(503).type('text/plain').send('temporarily unable to accept the message\n');
          stopTimer();
          return;
        }
      }
      res.status(200).type('text/xml').send(EMPTY_TWIML);
      stopTimer();
    },
  );
  return router;
}
