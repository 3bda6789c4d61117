import type { Db } from '../db';
import { jobReference } from '../../workflows/shared/job-reference';
import { findClient } from './clients';
import { Refusal } from './refusal';

export interface JobSummary {
  id: string;
  reference: string;
  clientId: string;
  businessName: string;
  customerPhone: string;
  urgency: string;
  /** From the tradesperson's side: NEW, TAKEN, TAKEN_OVER or DONE. */
  progress: string;
  postcode: string | null;
  description: string | null;
  takenAt: Date | null;
  takenBy: string | null;
  createdAt: Date;
}

interface JobFilter {
  /** A client's id or JobRun number. */
  client?: string;
  /** Leaves out the done ones. */
  open?: boolean;
  urgency?: 'EMERGENCY' | 'URGENT' | 'ROUTINE';
  progress?: 'NEW' | 'TAKEN' | 'TAKEN_OVER' | 'DONE';
  limit?: number;
}

/** Jobs newest first, of one client or all, as the CLI lists them and the console shows them. */
export async function listJobs(db: Db, filter: JobFilter): Promise<JobSummary[]> {
  let clientId: string | undefined;
  if (filter.client !== undefined) {
    const found = await findClient(db, filter.client);
    if (!found) throw new Refusal(`no client with id or JobRun number ${JSON.stringify(filter.client)}`);
    clientId = found.id;
  }
  const jobs = await db.job.findMany({
    where: {
      ...(clientId ? { clientId } : {}),
      ...(filter.open ? { progress: { not: 'DONE' } } : {}),
      ...(filter.progress ? { progress: filter.progress } : {}),
      ...(filter.urgency ? { urgency: filter.urgency } : {}),
    },
    ...(filter.limit ? { take: filter.limit } : {}),
    include: { client: { select: { businessName: true } }, customer: { select: { phone: true } } },
    orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
  });
  return jobs.map((j) => {
    const details = j.details as { postcode?: string | null; description?: string | null };
    return {
      id: j.id,
      reference: jobReference(j.number),
      clientId: j.clientId,
      businessName: j.client.businessName,
      customerPhone: j.customer.phone,
      urgency: j.urgency,
      progress: j.progress,
      postcode: details.postcode ?? null,
      description: details.description ?? null,
      takenAt: j.takenAt,
      takenBy: j.takenBy,
      createdAt: j.createdAt,
    };
  });
}
