// Giving a client a pool number, inside a transaction the caller owns: the
// admin CLI (`jobrun clients add`) and SMS onboarding share it, so two
// sign-ups at the same moment can never be handed the same number.
import type { Db } from '../db';

/** The transaction client of `db.$transaction(async (tx) => ...)`. */
type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

interface LockedNumber {
  id: string;
  phoneNumber: string;
  role: string;
  clientId: string | null;
}

type NumberPick =
  | { ok: true; number: LockedNumber }
  | { ok: false; reason: 'not-in-pool' }
  | { ok: false; reason: 'assigned' | 'not-free'; number: LockedNumber }
  | { ok: false; reason: 'exhausted' };

/**
 * Locks the number to give a new client until the transaction ends: the one
 * named, or the oldest FREE one.
 */
export async function lockNumberToAssign(tx: Tx, named?: string): Promise<NumberPick> {
  if (named) {
    // FOR UPDATE (no SKIP LOCKED): a racing allocation of the same named number
    // waits, then sees it ASSIGNED and is refused.
    const rows = await tx.$queryRaw<LockedNumber[]>`
      SELECT id, "phoneNumber", role::text AS role, "clientId"
      FROM "TwilioNumberPool" WHERE "phoneNumber" = ${named} FOR UPDATE`;
    const number = rows[0];
    if (!number) return { ok: false, reason: 'not-in-pool' };
    if (number.role === 'ASSIGNED') return { ok: false, reason: 'assigned', number };
    if (number.role !== 'FREE') return { ok: false, reason: 'not-free', number };
    return { ok: true, number };
  }
  // SKIP LOCKED: concurrent allocations each take a different free number instead of queueing on one.
  const rows = await tx.$queryRaw<LockedNumber[]>`
    SELECT id, "phoneNumber", role::text AS role, "clientId"
    FROM "TwilioNumberPool" WHERE role = 'FREE'
    ORDER BY "createdAt", id LIMIT 1 FOR UPDATE SKIP LOCKED`;
  const number = rows[0];
  return number ? { ok: true, number } : { ok: false, reason: 'exhausted' };
}

interface NewClientData {
  businessName: string;
  /** The tradesperson's own phone, E.164. */
  ownerPhone: string;
  backupPhone?: string | null;
  trade?: string | null;
  serviceArea?: string[];
}

/** The number was taken between the lock and the update: it cannot happen under the row lock, but is checked. */
export class NumberTakenError extends Error {
  constructor(readonly phoneNumber: string) {
    super(`${phoneNumber} was taken by someone else at the same moment`);
  }
}

/** Creates the client and marks the locked number ASSIGNED to it, in the caller's transaction. */
export async function createClientOnNumber(tx: Tx, number: LockedNumber, data: NewClientData) {
  const client = await tx.client.create({
    data: {
      businessName: data.businessName,
      phoneNumber: data.ownerPhone,
      backupPhone: data.backupPhone ?? null,
      trade: data.trade ?? null,
      serviceArea: data.serviceArea ?? [],
    },
  });
  // The role guard is belt and braces on top of the row lock.
  const assigned = await tx.twilioNumberPool.updateMany({
    where: { id: number.id, role: 'FREE' },
    data: { role: 'ASSIGNED', clientId: client.id },
  });
  if (assigned.count !== 1) throw new NumberTakenError(number.phoneNumber);
  return client;
}
