import type { Db } from '../db';
import { isE164 } from '../phone';
import { CliError } from './errors';

export interface NewClient {
  businessName: string;
  /** The tradesperson's own phone, E.164. */
  ownerPhone: string;
  trade?: string;
  serviceArea?: string[];
  /** A specific pool number (E.164); otherwise the next FREE one. */
  number?: string;
}

export interface ClientSummary {
  id: string;
  businessName: string;
  ownerPhone: string;
  trade: string | null;
  serviceArea: string[];
  numbers: string[];
  outboundPaused: boolean;
  createdAt: Date;
}

interface LockedNumber {
  id: string;
  phoneNumber: string;
  role: string;
  clientId: string | null;
}

/**
 * Creates the client and assigns its number in one transaction, so a failure
 * leaves neither a client without a number nor a number without a client.
 * Row locks make two concurrent adds unable to take the same number.
 */
export async function addClient(db: Db, input: NewClient): Promise<ClientSummary> {
  return db.$transaction(async (tx) => {
    let number: LockedNumber | undefined;
    if (input.number) {
      // FOR UPDATE (no SKIP LOCKED): a racing add for the same named number waits,
      // then sees it ASSIGNED and is refused.
      const rows = await tx.$queryRaw<LockedNumber[]>`
        SELECT id, "phoneNumber", role::text AS role, "clientId"
        FROM "TwilioNumberPool" WHERE "phoneNumber" = ${input.number} FOR UPDATE`;
      number = rows[0];
      if (!number) {
        throw new CliError(`${input.number} is not in the number pool; add it first with: jobrun numbers add ${input.number}`);
      }
      if (number.role === 'ASSIGNED') {
        throw new CliError(`${input.number} is already assigned to client ${number.clientId ?? '(unknown)'}`);
      }
      if (number.role !== 'FREE') {
        throw new CliError(`${input.number} is the onboarding number (role ${number.role}), not a FREE pool number`);
      }
    } else {
      // SKIP LOCKED: concurrent adds each take a different free number instead of queueing on one.
      const rows = await tx.$queryRaw<LockedNumber[]>`
        SELECT id, "phoneNumber", role::text AS role, "clientId"
        FROM "TwilioNumberPool" WHERE role = 'FREE'
        ORDER BY "createdAt", id LIMIT 1 FOR UPDATE SKIP LOCKED`;
      number = rows[0];
      if (!number) {
        throw new CliError('no FREE number in the pool; add one with: jobrun numbers add <E164>, then run this again');
      }
    }
    const client = await tx.client.create({
      data: {
        businessName: input.businessName,
        phoneNumber: input.ownerPhone,
        trade: input.trade ?? null,
        serviceArea: input.serviceArea ?? [],
      },
    });
    // The role guard is belt and braces on top of the row lock.
    const assigned = await tx.twilioNumberPool.updateMany({
      where: { id: number.id, role: 'FREE' },
      data: { role: 'ASSIGNED', clientId: client.id },
    });
    if (assigned.count !== 1) throw new CliError(`${number.phoneNumber} was taken by someone else at the same moment; run the command again`);
    return summarize({ ...client, numbers: [{ phoneNumber: number.phoneNumber }] });
  });
}

export async function listClients(db: Db): Promise<ClientSummary[]> {
  const clients = await db.client.findMany({
    include: { numbers: { select: { phoneNumber: true }, orderBy: { phoneNumber: 'asc' } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return clients.map(summarize);
}

/**
 * Finds a client by its id or by one of its JobRun (pool) numbers; the
 * tradesperson's own phone is deliberately not accepted, as it need not be unique.
 */
export async function findClient(db: Db, ref: string): Promise<{ id: string } | null> {
  const key = ref.trim();
  if (isE164(key)) {
    const entry = await db.twilioNumberPool.findUnique({ where: { phoneNumber: key }, select: { clientId: true } });
    return entry?.clientId ? { id: entry.clientId } : null;
  }
  return db.client.findUnique({ where: { id: key }, select: { id: true } });
}

export async function setPaused(db: Db, ref: string, paused: boolean): Promise<ClientSummary & { changed: boolean }> {
  const found = await findClient(db, ref);
  if (!found) throw new CliError(`no client with id or JobRun number ${JSON.stringify(ref)}`);
  // updateMany with the old value as a guard tells us whether this call flipped it.
  const flipped = await db.client.updateMany({
    where: { id: found.id, outboundPaused: !paused },
    data: { outboundPaused: paused },
  });
  const client = await db.client.findUnique({
    where: { id: found.id },
    include: { numbers: { select: { phoneNumber: true }, orderBy: { phoneNumber: 'asc' } } },
  });
  if (!client) throw new CliError(`no client with id or JobRun number ${JSON.stringify(ref)}`);
  return { ...summarize(client), changed: flipped.count === 1 };
}

function summarize(c: {
  id: string;
  businessName: string;
  phoneNumber: string;
  trade: string | null;
  serviceArea: string[];
  outboundPaused: boolean;
  createdAt: Date;
  numbers: { phoneNumber: string }[];
}): ClientSummary {
  return {
    id: c.id,
    businessName: c.businessName,
    ownerPhone: c.phoneNumber,
    trade: c.trade,
    serviceArea: c.serviceArea,
    numbers: c.numbers.map((n) => n.phoneNumber),
    outboundPaused: c.outboundPaused,
    createdAt: c.createdAt,
  };
}
