import type { Db } from '../db';
import { isUniqueViolation } from '../db';
import type { NumberWebhooks } from '../twilio/number-webhooks';
import { Refusal } from './refusal';

type PoolRole = 'FREE' | 'ASSIGNED' | 'ONBOARDING';

interface PoolNumber {
  id: string;
  phoneNumber: string;
  role: PoolRole;
  clientId: string | null;
}

interface AddNumberResult extends PoolNumber {
  /** created, changed (role updated) or unchanged. */
  outcome: 'created' | 'changed' | 'unchanged';
}

const poolSelect = { id: true, phoneNumber: true, role: true, clientId: true } as const;

/**
 * Puts a number into the pool as FREE, or makes it an ONBOARDING number.
 * A number already ASSIGNED to a client is refused: moving it would silently
 * take a live line away from a tradesperson.
 */
export async function addNumber(db: Db, phoneNumber: string, opts: { onboarding?: boolean } = {}): Promise<AddNumberResult> {
  const role: PoolRole = opts.onboarding ? 'ONBOARDING' : 'FREE';
  try {
    return await db.$transaction(async (tx) => {
      // The row lock keeps a concurrent `clients add` from assigning the number
      // between our check and our update.
      const locked = await tx.$queryRaw<PoolNumber[]>`
        SELECT id, "phoneNumber", role::text AS role, "clientId"
        FROM "TwilioNumberPool" WHERE "phoneNumber" = ${phoneNumber} FOR UPDATE`;
      const existing = locked[0];
      if (!existing) {
        const created = await tx.twilioNumberPool.create({ data: { phoneNumber, role }, select: poolSelect });
        return { ...created, outcome: 'created' as const };
      }
      if (existing.role === 'ASSIGNED') {
        throw new Refusal(
          `${phoneNumber} is already assigned to client ${existing.clientId ?? '(unknown)'}; it was not changed`,
        );
      }
      if (existing.role === role) return { ...existing, outcome: 'unchanged' as const };
      const updated = await tx.twilioNumberPool.update({ where: { id: existing.id }, data: { role }, select: poolSelect });
      return { ...updated, outcome: 'changed' as const };
    });
  } catch (err) {
    // Two concurrent adds of a brand-new number: the loser sees the unique index.
    if (isUniqueViolation(err)) throw new Refusal(`${phoneNumber} was added by someone else at the same moment; run the command again`);
    throw err;
  }
}

export async function listNumbers(db: Db): Promise<PoolNumber[]> {
  return db.twilioNumberPool.findMany({ select: poolSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/**
 * Takes a number back from its client (or from onboarding) and makes it FREE.
 * Calls and texts to it then get the SYSTEM fail-safe until it is assigned again.
 */
export async function releaseNumber(db: Db, phoneNumber: string): Promise<PoolNumber & { previousClientId: string | null }> {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<PoolNumber[]>`
      SELECT id, "phoneNumber", role::text AS role, "clientId"
      FROM "TwilioNumberPool" WHERE "phoneNumber" = ${phoneNumber} FOR UPDATE`;
    const existing = locked[0];
    if (!existing) throw new Refusal(`${phoneNumber} is not in the number pool`);
    const updated = await tx.twilioNumberPool.update({
      where: { id: existing.id },
      data: { role: 'FREE', clientId: null },
      select: poolSelect,
    });
    return { ...updated, previousClientId: existing.clientId };
  });
}

/**
 * `numbers add` as the CLI and the console do it: with Twilio credentials the
 * number is first pointed at JobRun in the account (refused, and nothing
 * changed, if the account has no such number), then put into the pool.
 */
export async function addNumberAtTwilio(db: Db, webhooks: NumberWebhooks | null, phoneNumber: string, opts: { onboarding?: boolean } = {}) {
  const twilio = webhooks ? { configured: true as const, ...(await webhooks.configure(phoneNumber)) } : { configured: false as const };
  return { ...(await addNumber(db, phoneNumber, opts)), twilio };
}
