import type { Db } from '../db';
import { conversationWorkflowId, escalationWorkflowId } from '../../workflows/shared/ids';

/** Whose customer a phone is, and the workflow ID of each conversation. */
export async function findCustomer(db: Db, phone: string) {
  const rows = await db.customer.findMany({ where: { phone }, include: { client: { select: { businessName: true } } }, orderBy: { createdAt: 'asc' } });
  return rows.map((c) => ({ clientId: c.clientId, businessName: c.client.businessName, conversationWorkflowId: conversationWorkflowId(c.clientId, c.id) }));
}

const ERASED = '(erased)';

/**
 * Forgets a customer on request (UK GDPR erasure): their running
 * conversation and escalation chain are ended without a word to them, their
 * texts in and out, the texts about them to the tradesperson, their job's
 * details and the calls' scripts are anonymised, and their customer row loses
 * its number, so a later text from them starts afresh. Jobs keep their
 * reference, dates, urgency and outcome for the operator's figures.
 * Workflow histories in Temporal keep what they hold until its retention.
 */
export async function forgetCustomer(db: Db, end: (workflowId: string) => Promise<boolean>, phone: string, clientId?: string): Promise<{ clients: number; rows: number; workflowsEnded: number }> {
  const customers = await db.customer.findMany({ where: { phone, ...(clientId ? { clientId } : {}) }, include: { jobs: { select: { id: true } }, conversations: { select: { id: true } } } });
  let workflowsEnded = 0;
  for (const c of customers) {
    for (const id of [conversationWorkflowId(c.clientId, c.id), ...c.jobs.map((j) => escalationWorkflowId(j.id))]) {
      if (await end(id)) workflowsEnded += 1;
    }
  }
  const rows = await db.$transaction(async (tx) => {
    let n = 0;
    for (const c of customers) {
      const conversationIds = c.conversations.map((v) => v.id);
      const jobIds = c.jobs.map((j) => j.id);
      const client = await tx.client.findUniqueOrThrow({ where: { id: c.clientId }, select: { numbers: { select: { phoneNumber: true } } } });
      const jobrunNumbers = client.numbers.map((x) => x.phoneNumber);
      n += (await tx.message.updateMany({ where: { conversationId: { in: conversationIds } }, data: { body: ERASED } })).count;
      n += (await tx.message.updateMany({ where: { conversationId: { in: conversationIds }, fromNumber: phone }, data: { fromNumber: ERASED } })).count;
      n += (await tx.message.updateMany({ where: { conversationId: { in: conversationIds }, toNumber: phone }, data: { toNumber: ERASED } })).count;
      // Texts to them, and texts from their client's numbers that name them (to the tradesperson, the backup phone).
      n += (await tx.outboundMessage.updateMany({ where: { OR: [{ conversationId: { in: conversationIds } }, { toNumber: phone, fromNumber: { in: jobrunNumbers } }, { body: { contains: phone }, fromNumber: { in: jobrunNumbers } }] }, data: { body: ERASED } })).count;
      n += (await tx.outboundMessage.updateMany({ where: { toNumber: phone, fromNumber: { in: jobrunNumbers } }, data: { toNumber: ERASED } })).count;
      n += (await tx.job.updateMany({ where: { id: { in: jobIds } }, data: { details: {} } })).count;
      n += (await tx.outboundCall.updateMany({ where: { jobId: { in: jobIds } }, data: { script: ERASED } })).count;
      await tx.customer.update({ where: { id: c.id }, data: { phone: `erased:${c.id}`, name: null } });
      n += 1;
    }
    await tx.erasure.create({ data: { clients: customers.length, rows: n } });
    return n;
  });
  return { clients: customers.length, rows, workflowsEnded };
}
