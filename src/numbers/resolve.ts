import type { Db } from '../db';
import type { NumberRole } from '../../workflows/shared/types';

/** Which of JobRun's numbers this is. Anything not assigned to a client is SYSTEM. */
export async function resolveNumberRole(db: Db, phoneNumber: string): Promise<NumberRole> {
  const entry = await db.twilioNumberPool.findUnique({ where: { phoneNumber }, include: { client: true } });
  if (!entry) return { role: 'SYSTEM', reason: 'not-in-pool' };
  if (entry.role === 'ONBOARDING') return { role: 'ONBOARDING' };
  if (entry.role !== 'ASSIGNED' || !entry.client) return { role: 'SYSTEM', reason: 'unassigned' };
  const c = entry.client;
  return {
    role: 'CLIENT',
    client: {
      id: c.id,
      businessName: c.businessName,
      trade: c.trade,
      serviceArea: c.serviceArea,
      ownerPhone: c.phoneNumber,
      outboundPaused: c.outboundPaused,
      ringTimeoutSeconds: c.ringTimeoutSeconds,
    },
  };
}
