import type { NumberRole } from '../src/workflow-api';
import type { ActivityDeps } from './deps';

/** Which of JobRun's numbers was texted. Anything not assigned to a client is SYSTEM. */
export function createResolveNumber({ db }: ActivityDeps) {
  return async function resolveNumber(phoneNumber: string): Promise<NumberRole> {
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
      },
    };
  };
}
