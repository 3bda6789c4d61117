import { upsertRacing, type Db } from '../src/db';

/**
 * The customer (one per client and phone) and their one conversation with
 * that client, created on first contact, by text or by a missed call, and
 * marked as active at `at`.
 */
export async function upsertCustomerConversation(db: Db, input: { clientId: string; phone: string; at: Date }) {
  const customer = await upsertRacing(() =>
    db.customer.upsert({
      where: { clientId_phone: { clientId: input.clientId, phone: input.phone } },
      create: { clientId: input.clientId, phone: input.phone },
      update: {},
    }),
  );
  const conversation = await upsertRacing(() =>
    db.conversation.upsert({
      where: { clientId_customerId: { clientId: input.clientId, customerId: customer.id } },
      create: { clientId: input.clientId, customerId: customer.id, lastMessageAt: input.at },
      update: { lastMessageAt: input.at },
    }),
  );
  return { customer, conversation };
}
