// What passed between JobRun, a customer and a tradesperson, as the console
// shows it: a job's whole exchange, and the simulator's two phones.
import type { Db } from '../db';
import { jobReference } from '../../workflows/shared/job-reference';

export interface ExchangeLine {
  /** in: to JobRun; out: from JobRun; call: a call JobRun placed. */
  side: 'in' | 'out' | 'call';
  who: string;
  at: string;
  body: string;
  status?: string;
}

const CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const ukTime = (d: Date) => CLOCK.format(d);

const byTime = (a: { t: Date }, b: { t: Date }) => a.t.getTime() - b.t.getTime();
const line = (t: Date, l: Omit<ExchangeLine, 'at'>) => ({ t, l: { ...l, at: ukTime(t) } });

/** Calls JobRun placed to these phones from this number (or about this job), as lines. */
async function callLines(db: Db, where: { jobId?: string; to?: string[]; from?: string }) {
  const calls = await db.outboundCall.findMany({
    where: { ...(where.jobId ? { jobId: where.jobId } : {}), ...(where.to ? { toNumber: { in: where.to } } : {}), ...(where.from ? { fromNumber: where.from } : {}) },
    orderBy: { createdAt: 'asc' },
    take: 50,
  });
  return calls.map((c) =>
    line(c.placedAt ?? c.createdAt, {
      side: 'call',
      who: `JobRun rang ${c.toNumber}`,
      body: `"${c.script}"${c.pressedAt ? ` 1 pressed at ${ukTime(c.pressedAt)}.` : ''}`,
      status: [c.status, c.callStatus].filter(Boolean).join(', '),
    }),
  );
}

/** A job's texts in and out with their delivery status, the tradesperson's texts about it, and the calls placed. */
export async function jobExchange(db: Db, jobId: string) {
  const job = await db.job.findUnique({ where: { id: jobId }, include: { client: true, customer: true, conversation: true } });
  if (!job) return null;
  const customer = job.customer.phone;
  const phones = [job.client.phoneNumber, ...(job.client.backupPhone ? [job.client.backupPhone] : [])];
  // The newest 200 of each: texts in from the messages, texts out from the send ledger (failed and held ones too).
  const [inbound, outbound, toTradesperson, calls] = await Promise.all([
    db.message.findMany({ where: { conversationId: job.conversationId, direction: 'INBOUND' }, orderBy: { createdAt: 'desc' }, take: 200 }),
    db.outboundMessage.findMany({ where: { conversationId: job.conversationId }, orderBy: { createdAt: 'desc' }, take: 200 }),
    // Every text to the tradesperson about a job carries its customer's number.
    db.outboundMessage.findMany({ where: { toNumber: { in: phones }, body: { contains: customer } }, orderBy: { createdAt: 'asc' }, take: 100 }),
    callLines(db, { jobId }),
  ]);
  const lines = [
    ...inbound.map((m) => line(m.createdAt, { side: 'in', who: `Customer ${customer}`, body: m.body })),
    ...outbound.map((o) => line(o.createdAt, { side: 'out', who: 'JobRun to the customer', body: o.body, status: o.status })),
    ...toTradesperson.map((o) => line(o.createdAt, { side: 'out', who: `JobRun to the tradesperson (${o.toNumber})`, body: o.body, status: o.status })),
    ...calls,
  ].sort(byTime);
  const details = job.details as { postcode?: string | null; description?: string | null; customerName?: string | null };
  return {
    job: {
      id: job.id,
      reference: jobReference(job.number),
      businessName: job.client.businessName,
      clientId: job.clientId,
      customerPhone: customer,
      customerName: details.customerName ?? null,
      postcode: details.postcode ?? null,
      description: details.description ?? null,
      urgency: job.urgency,
      urgencyReason: job.urgencyReason,
      progress: job.progress,
      takenAt: job.takenAt ? ukTime(job.takenAt) : null,
      takenBy: job.takenBy,
    },
    exchange: lines.map((l) => l.l),
  };
}

/** The simulator's two phones: the customer's texts with this number, and what the number's tradesperson received. */
export async function simulatorPhones(db: Db, number: string, customer: string) {
  const pool = await db.twilioNumberPool.findUnique({ where: { phoneNumber: number }, include: { client: true } });
  const [inbound, outbound] = await Promise.all([
    db.message.findMany({ where: { direction: 'INBOUND', fromNumber: customer, toNumber: number }, orderBy: { createdAt: 'desc' }, take: 30 }),
    db.outboundMessage.findMany({ where: { toNumber: customer, fromNumber: number }, orderBy: { createdAt: 'desc' }, take: 30 }),
  ]);
  const customerLines = [
    ...inbound.map((m) => line(m.createdAt, { side: 'out', who: 'You', body: m.body })),
    ...outbound.map((o) => line(o.createdAt, { side: 'in', who: 'JobRun', body: o.body, status: o.status })),
  ].sort(byTime);
  let tradesperson: ExchangeLine[] | null = null;
  if (pool?.client) {
    const phones = [pool.client.phoneNumber, ...(pool.client.backupPhone ? [pool.client.backupPhone] : [])];
    const [texts, calls] = await Promise.all([
      db.outboundMessage.findMany({ where: { toNumber: { in: phones }, fromNumber: number }, orderBy: { createdAt: 'desc' }, take: 30 }),
      callLines(db, { to: phones, from: number }),
    ]);
    tradesperson = [...texts.map((o) => line(o.createdAt, { side: 'in' as const, who: 'JobRun', body: o.body, status: o.status })), ...calls].sort(byTime).map((l) => l.l);
  }
  return { customer: customerLines.map((l) => l.l), tradesperson };
}
