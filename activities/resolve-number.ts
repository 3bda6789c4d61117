import { resolveNumberRole } from '../src/numbers/resolve';
import type { NumberRole } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';

/** Used by the inbound-SMS workflow only, so it is also where inbound texts are counted by role. */
export function createResolveNumber({ db, metrics }: ActivityDeps) {
  return async function resolveNumber(phoneNumber: string): Promise<NumberRole> {
    const role = await resolveNumberRole(db, phoneNumber);
    metrics.inboundSms.inc({ role: role.role });
    return role;
  };
}
