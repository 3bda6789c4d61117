import { jobReference } from '../workflows/shared/job-reference';
import type { ActivityDeps } from './deps';

export interface DayDigest {
  clientId: string;
  businessName: string;
  ownerPhone: string;
  /** The client's JobRun number: the digest comes from it, as every text about their jobs does. */
  jobrunNumber: string;
  jobs: Array<{ reference: string; urgency: string; line: string | null; progress: string }>;
}

export function createDigestActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /** Each client with jobs opened in [from, to), and those jobs in order; clients with no JobRun number left are skipped. */
    async dayDigests(input: { from: string; to: string }): Promise<DayDigest[]> {
      const jobs = await db.job.findMany({
        where: { createdAt: { gte: new Date(input.from), lt: new Date(input.to) } },
        include: { client: { include: { numbers: { where: { role: 'ASSIGNED' }, orderBy: { phoneNumber: 'asc' }, take: 1 } } } },
        orderBy: [{ clientId: 'asc' }, { number: 'asc' }],
      });
      const byClient = new Map<string, DayDigest>();
      for (const j of jobs) {
        const jobrunNumber = j.client.numbers[0]?.phoneNumber;
        if (!jobrunNumber) continue;
        const digest = byClient.get(j.clientId) ?? { clientId: j.clientId, businessName: j.client.businessName, ownerPhone: j.client.phoneNumber, jobrunNumber, jobs: [] };
        const details = j.details as { description?: string | null; postcode?: string | null };
        const what = [j.urgencyReason && j.urgency !== 'ROUTINE' ? j.urgencyReason : details.description, details.postcode].filter(Boolean).join(', ');
        digest.jobs.push({ reference: jobReference(j.number), urgency: j.urgency, line: what ? what.slice(0, 60) : null, progress: j.progress });
        byClient.set(j.clientId, digest);
      }
      return [...byClient.values()];
    },
  };
}
