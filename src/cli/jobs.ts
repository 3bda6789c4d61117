import type { Db } from '../db';
import { jobReference } from '../../workflows/shared/job-reference';
import { findClient } from './clients';
import { CliError } from './errors';

export interface JobSummary {
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

/** Jobs newest first, of one client (id or JobRun number) or all; `open` leaves out the done ones. */
export async function listJobs(db: Db, filter: { client?: string; open?: boolean }): Promise<JobSummary[]> {
  let clientId: string | undefined;
  if (filter.client !== undefined) {
    const found = await findClient(db, filter.client);
    if (!found) throw new CliError(`no client with id or JobRun number ${JSON.stringify(filter.client)}`);
    clientId = found.id;
  }
  const jobs = await db.job.findMany({
    where: { ...(clientId ? { clientId } : {}), ...(filter.open ? { progress: { not: 'DONE' } } : {}) },
    include: { client: { select: { businessName: true } }, customer: { select: { phone: true } } },
    orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
  });
  return jobs.map((j) => {
    const details = j.details as { postcode?: string | null; description?: string | null };
    return {
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
