import type { ConversationInput, InboundSignal } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

/**
 * Hands the message to the customer's conversation workflow and marks it
 * forwarded: a webhook replayed after Temporal's retention stops there.
 */
export function createForwardToConversation({ db, starts, logger }: ActivityDeps) {
  return async function forwardToConversation(input: ConversationInput & { signal: InboundSignal }): Promise<string> {
    const { signal, ...start } = input;
    const workflowId = await starts.toConversation(start, signal);
    await db.message.update({ where: { twilioSid: signal.messageSid }, data: { forwardedAt: new Date() } });
    activityLogger(logger).info({ event: 'inbound.forwarded', conversationWorkflowId: workflowId }, 'handed to conversation');
    return workflowId;
  };
}
