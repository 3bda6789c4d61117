import { clientSnapshot, resolveNumberRole } from '../src/numbers/resolve';
import type { ClientSnapshot, NumberRole } from '../workflows/shared/types';
import type { ActivityDeps } from './deps';

/** Used by the inbound-SMS workflow only, so it is also where inbound texts are counted by role. */
export function createResolveNumber({ db, metrics }: ActivityDeps) {
  return async function resolveNumber(phoneNumber: string): Promise<NumberRole> {
    const role = await resolveNumberRole(db, phoneNumber);
    metrics.inboundSms.inc({ role: role.role });
    return role;
  };
}

/** A client as it is now (paused or not, its phone): conversations read it before each turn. */
export function createLoadClient({ db }: ActivityDeps) {
  return async function loadClient(clientId: string): Promise<ClientSnapshot | null> {
    const client = await db.client.findUnique({ where: { id: clientId } });
    return client ? clientSnapshot(client) : null;
  };
}
