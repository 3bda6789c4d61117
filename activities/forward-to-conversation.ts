import { CONVERSATION_WORKFLOW, INBOUND_SIGNAL, conversationWorkflowId } from '../src/workflow-api';
import type { ConversationInput, InboundSignal } from '../src/workflow-api';
import { phoneHash } from '../src/phone';
import { SA } from '../src/search-attributes';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

/**
 * Hands the message to the customer's conversation workflow, starting it if
 * it is not running. The conversation ignores SIDs it has seen, so a retry
 * after the signal landed is harmless.
 */
export function createForwardToConversation({ db, temporal, config, logger }: ActivityDeps) {
  return async function forwardToConversation(input: ConversationInput & { signal: InboundSignal }): Promise<string> {
    const { signal, ...start } = input;
    const workflowId = conversationWorkflowId(start.clientId, start.customerId);
    await temporal.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [{ ...start, settleMs: config.conversationSettleMs }],
      signal: INBOUND_SIGNAL,
      signalArgs: [signal],
      typedSearchAttributes: [
        { key: SA.clientId, value: start.clientId },
        { key: SA.numberRole, value: 'CLIENT' },
        { key: SA.customerHash, value: phoneHash(start.customerPhone) },
      ],
    });
    await db.message.update({ where: { twilioSid: signal.messageSid }, data: { forwardedAt: new Date() } });
    activityLogger(logger).info({ event: 'inbound.forwarded', conversationWorkflowId: workflowId }, 'handed to conversation');
    return workflowId;
  };
}
