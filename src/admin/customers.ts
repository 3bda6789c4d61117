import type { Db } from '../db';
import { conversationWorkflowId } from '../../workflows/shared/ids';

/** Whose customer a phone is, and the workflow ID of each conversation. */
export async function findCustomer(db: Db, phone: string) {
  const rows = await db.customer.findMany({ where: { phone }, include: { client: { select: { businessName: true } } }, orderBy: { createdAt: 'asc' } });
  return rows.map((c) => ({ clientId: c.clientId, businessName: c.client.businessName, conversationWorkflowId: conversationWorkflowId(c.clientId, c.id) }));
}
