import { isCallAccepted } from './call-accepted';
import { upsertCustomerConversation } from './customer-conversation';
import type { ActivityDeps } from './deps';
import { currentWorkflowId } from './deps';

/** A customer who texted within this long is in a conversation (it closes after a day of silence). */
const CONVERSATION_OPEN_MS = 24 * 3_600_000;

type TextBackDecision = 'text' | 'cooldown' | 'in-conversation' | 'opted-out';

export function createMissedCallActivities({ db, sms, temporal, config }: ActivityDeps) {
  async function customerConversation(clientId: string, phone: string) {
    const customer = await db.customer.findUnique({ where: { clientId_phone: { clientId, phone } }, select: { id: true, optedOutAt: true } });
    const conversation = customer && (await db.conversation.findUnique({ where: { clientId_customerId: { clientId, customerId: customer.id } }, select: { id: true } }));
    return { customer, conversation };
  }

  return {
    /** The caller becomes the client's customer, so their reply continues as an SMS conversation. */
    async recordMissedCall(input: { clientId: string; from: string }): Promise<{ customerId: string; conversationId: string }> {
      const { customer, conversation } = await upsertCustomerConversation(db, { clientId: input.clientId, phone: input.from, at: new Date() });
      return { customerId: customer.id, conversationId: conversation.id };
    },

    /**
     * Whether this caller gets a text-back: not again within TEXTBACK_COOLDOWN,
     * not while they are texting with the client already, not after STOP.
     */
    async textBackDecision(input: { clientId: string; from: string }): Promise<TextBackDecision> {
      const { customer, conversation } = await customerConversation(input.clientId, input.from);
      if (!customer || !conversation) return 'text';
      if (customer.optedOutAt) return 'opted-out';
      const now = Date.now();
      const texting = await db.message.count({
        where: { conversationId: conversation.id, direction: 'INBOUND', twilioSid: { startsWith: 'SM' }, createdAt: { gt: new Date(now - CONVERSATION_OPEN_MS) } },
      });
      if (texting > 0) return 'in-conversation';
      const textedBack = await db.outboundMessage.count({
        where: { conversationId: conversation.id, idempotencyKey: { endsWith: ':textback' }, createdAt: { gt: new Date(now - config.textbackCooldownMs) } },
      });
      return textedBack > 0 ? 'cooldown' : 'text';
    },

    /** A text-back sent without the database, recorded once it answers: the customer, their conversation, the ledger. */
    async recordTextBack(input: { clientId: string; from: string; to: string; body: string; sid: string; idempotencyKey: string }): Promise<{ conversationId: string }> {
      const { conversation } = await upsertCustomerConversation(db, { clientId: input.clientId, phone: input.from, at: new Date() });
      const status = sms.simulated ? 'SIMULATED' : 'SENT';
      await db.outboundMessage.createMany({
        data: [
          {
            idempotencyKey: input.idempotencyKey,
            purpose: 'reply',
            toNumber: input.from,
            fromNumber: input.to,
            body: input.body,
            status,
            twilioSid: input.sid,
            attempts: 1,
            conversationId: conversation.id,
            workflowId: currentWorkflowId(),
            sentAt: new Date(),
          },
        ],
        skipDuplicates: true,
      });
      await db.message.createMany({
        data: [{ conversationId: conversation.id, direction: 'OUTBOUND', twilioSid: input.sid, fromNumber: input.to, toNumber: input.from, body: input.body }],
        skipDuplicates: true,
      });
      return { conversationId: conversation.id };
    },

    /** A call from a customer already texting with the client: no text-back, but the call is in their conversation. */
    async noteMissedCall(input: { clientId: string; from: string; to: string; callSid: string }): Promise<void> {
      const { conversation } = await upsertCustomerConversation(db, { clientId: input.clientId, phone: input.from, at: new Date() });
      await db.message.createMany({
        data: [{ conversationId: conversation.id, direction: 'INBOUND', twilioSid: input.callSid, fromNumber: input.from, toNumber: input.to, body: '(missed call)' }],
        skipDuplicates: true,
      });
    },

    wasCallAccepted: (callSid: string): Promise<boolean> => isCallAccepted(temporal, callSid),
  };
}
