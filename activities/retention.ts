import type { ActivityDeps } from './deps';

const EXPIRED = '(expired)';

export function createRetentionActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /**
     * Anonymises up to `limit` rows of each kind older than `cutoff`: texts in
     * and out (bodies), job details, call scripts. Returns how many it changed;
     * fewer than `limit` of every kind means nothing older is left.
     */
    async expireBatch(input: { cutoff: string; limit: number }): Promise<number> {
      const cutoff = new Date(input.cutoff);
      const counts = await db.$transaction([
        db.$executeRaw`UPDATE "Message" SET body = ${EXPIRED} WHERE id IN (SELECT id FROM "Message" WHERE "createdAt" < ${cutoff} AND body <> ${EXPIRED} LIMIT ${input.limit})`,
        db.$executeRaw`UPDATE "OutboundMessage" SET body = ${EXPIRED} WHERE id IN (SELECT id FROM "OutboundMessage" WHERE "createdAt" < ${cutoff} AND body <> ${EXPIRED} LIMIT ${input.limit})`,
        db.$executeRaw`UPDATE "Job" SET details = '{}'::jsonb WHERE id IN (SELECT id FROM "Job" WHERE "updatedAt" < ${cutoff} AND details <> '{}'::jsonb LIMIT ${input.limit})`,
        db.$executeRaw`UPDATE "OutboundCall" SET script = ${EXPIRED} WHERE id IN (SELECT id FROM "OutboundCall" WHERE "createdAt" < ${cutoff} AND script <> ${EXPIRED} LIMIT ${input.limit})`,
      ]);
      return Math.max(...counts);
    },
  };
}
