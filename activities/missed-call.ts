import { WorkflowNotFoundError } from '@temporalio/client';
import { upsertRacing } from '../src/db';
import { callAcceptedWorkflowId } from '../src/workflow-api';
import type { ActivityDeps } from './deps';

export function createMissedCallActivities({ db, temporal }: ActivityDeps) {
  return {
    /** The caller becomes the client's customer, so their reply continues as an SMS conversation. */
    async recordMissedCall(input: { clientId: string; from: string }): Promise<{ customerId: string; conversationId: string }> {
      const customer = await upsertRacing(() =>
        db.customer.upsert({
          where: { clientId_phone: { clientId: input.clientId, phone: input.from } },
          create: { clientId: input.clientId, phone: input.from },
          update: {},
        }),
      );
      const conversation = await upsertRacing(() =>
        db.conversation.upsert({
          where: { clientId_customerId: { clientId: input.clientId, customerId: customer.id } },
          create: { clientId: input.clientId, customerId: customer.id },
          update: { lastMessageAt: new Date() },
        }),
      );
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
