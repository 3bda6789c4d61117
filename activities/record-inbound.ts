import { isUniqueViolation } from '../src/db';
import { maskPhone } from '../workflows/shared/phone-mask';
import { upsertCustomerConversation } from './customer-conversation';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

interface RecordInboundInput {
  messageSid: string;
  clientId: string;
  from: string;
  to: string;
  body: string;
  receivedAt: string;
}

export interface RecordInboundResult {
  customerId: string;
  conversationId: string;
  mode: 'ONBOARDING' | 'OPERATIONAL';
  /** The message was stored and handed to its conversation before: nothing more to do. */
  alreadyForwarded: boolean;
  /** The customer sent STOP (or Twilio refused them with 21610) and has not sent START since. */
  optedOut: boolean;
}

/**
 * Stores the customer, their conversation and the message. Message.twilioSid
 * is unique, so a retried attempt or a webhook replayed after Temporal's
 * retention finds the row instead of adding one.
 */
export function createRecordInbound({ db, logger }: ActivityDeps) {
  return async function recordInbound(input: RecordInboundInput): Promise<RecordInboundResult> {
    const log = activityLogger(logger);
    const receivedAt = new Date(input.receivedAt);
    const { customer, conversation } = await upsertCustomerConversation(db, { clientId: input.clientId, phone: input.from, at: receivedAt });
    let alreadyForwarded = false;
    try {
      await db.message.create({
        data: {
          conversationId: conversation.id,
          direction: 'INBOUND',
          twilioSid: input.messageSid,
          fromNumber: input.from,
          toNumber: input.to,
          body: input.body,
          createdAt: receivedAt,
        },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = await db.message.findUnique({ where: { twilioSid: input.messageSid } });
      alreadyForwarded = existing?.forwardedAt != null;
      log.info({ event: 'inbound.already_stored', alreadyForwarded }, 'message already stored');
    }
    log.info({ event: 'inbound.stored', from: maskPhone(input.from), conversationId: conversation.id }, 'inbound SMS stored');
    return { customerId: customer.id, conversationId: conversation.id, mode: conversation.mode, alreadyForwarded, optedOut: customer.optedOutAt !== null };
  };
}

/** STOP and START: the customer's say over whether JobRun texts them at all. */
export function createSetOptOut({ db, logger }: ActivityDeps) {
  return async function setOptOut(input: { customerId: string; optedOut: boolean }): Promise<void> {
    await db.customer.update({ where: { id: input.customerId }, data: { optedOutAt: input.optedOut ? new Date() : null } });
    activityLogger(logger).info({ event: input.optedOut ? 'customer.opted_out' : 'customer.opted_in', customerId: input.customerId }, input.optedOut ? 'customer opted out' : 'customer opted back in');
  };
}
