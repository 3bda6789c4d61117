import { WorkflowNotFoundError } from '@temporalio/client';
import { callAcceptedWorkflowId } from '../workflows/shared/ids';
import { upsertCustomerConversation } from './customer-conversation';
import type { ActivityDeps } from './deps';

export function createMissedCallActivities({ db, temporal }: ActivityDeps) {
  return {
    /** The caller becomes the client's customer, so their reply continues as an SMS conversation. */
    async recordMissedCall(input: { clientId: string; from: string }): Promise<{ customerId: string; conversationId: string }> {
      const { customer, conversation } = await upsertCustomerConversation(db, { clientId: input.clientId, phone: input.from, at: new Date() });
      return { customerId: customer.id, conversationId: conversation.id };
    },

    /** Whether the tradesperson pressed 1 on the whisper: the marker workflow exists. */
    async wasCallAccepted(callSid: string): Promise<boolean> {
      try {
        await temporal.workflow.getHandle(callAcceptedWorkflowId(callSid)).describe();
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
  };
}
