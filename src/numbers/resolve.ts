import type { Db } from '../db';
import type { ClientSnapshot, NumberRole } from '../../workflows/shared/types';

type ClientRow = NonNullable<Awaited<ReturnType<Db['client']['findUnique']>>>;

/** What a workflow keeps of a client. */
export function clientSnapshot(c: ClientRow): ClientSnapshot {
  return {
    id: c.id,
    businessName: c.businessName,
    trade: c.trade,
    serviceArea: c.serviceArea,
    ownerPhone: c.phoneNumber,
    backupPhone: c.backupPhone,
    outboundPaused: c.outboundPaused,
    ringTimeoutSeconds: c.ringTimeoutSeconds,
  };
}

type PoolRow = NonNullable<Awaited<ReturnType<Db['twilioNumberPool']['findUnique']>>> & { client: ClientRow | null };

/** A pool entry's role. Anything not assigned to a client is SYSTEM. */
export function roleOf(entry: PoolRow | null): NumberRole {
  if (!entry) return { role: 'SYSTEM', reason: 'not-in-pool' };
  if (entry.role === 'ONBOARDING') return { role: 'ONBOARDING' };
  if (entry.role !== 'ASSIGNED' || !entry.client) return { role: 'SYSTEM', reason: 'unassigned' };
  return { role: 'CLIENT', client: clientSnapshot(entry.client) };
}

/** Which of JobRun's numbers this is. */
export async function resolveNumberRole(db: Db, phoneNumber: string): Promise<NumberRole> {
  return roleOf(await db.twilioNumberPool.findUnique({ where: { phoneNumber }, include: { client: true } }));
}
