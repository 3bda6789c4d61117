import type { Db } from '../db';
import { createClientOnNumber, lockNumberToAssign, NumberTakenError } from '../numbers/allocate';
import { isE164 } from '../identifiers';
import { setOutboundPaused } from '../system-gate';
import { Refusal } from './refusal';

interface NewClient {
  businessName: string;
  /** The tradesperson's own phone, E.164. */
  ownerPhone: string;
  backupPhone?: string;
  trade?: string;
  serviceArea?: string[];
  /** A specific pool number (E.164); otherwise the next FREE one. */
  number?: string;
}

export interface ClientSummary {
  id: string;
  businessName: string;
  ownerPhone: string;
  backupPhone: string | null;
  trade: string | null;
  serviceArea: string[];
  numbers: string[];
  outboundPaused: boolean;
  createdAt: Date;
}

/**
 * Creates the client and assigns its number in one transaction, so a failure
 * leaves neither a client without a number nor a number without a client.
 * Row locks make two concurrent adds unable to take the same number
 * (src/numbers/allocate.ts, shared with SMS onboarding).
 */
export async function addClient(db: Db, input: NewClient): Promise<ClientSummary> {
  return db.$transaction(async (tx) => {
    const pick = await lockNumberToAssign(tx, input.number);
    if (!pick.ok) {
      switch (pick.reason) {
        case 'not-in-pool':
          throw new Refusal(`${input.number} is not in the number pool; add it first with: jobrun numbers add ${input.number}`);
        case 'assigned':
          throw new Refusal(`${input.number} is already assigned to client ${pick.number.clientId ?? '(unknown)'}`);
        case 'not-free':
          throw new Refusal(`${input.number} is the onboarding number (role ${pick.number.role}), not a FREE pool number`);
        case 'exhausted':
          throw new Refusal('no FREE number in the pool; add one with: jobrun numbers add <E164>, then run this again');
      }
    }
    const { number } = pick;
    try {
      const client = await createClientOnNumber(tx, number, input);
      return summarize({ ...client, numbers: [{ phoneNumber: number.phoneNumber }] });
    } catch (err) {
      if (err instanceof NumberTakenError) throw new Refusal(`${err.message}; run the command again`);
      throw err;
    }
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

/** The client's backup phone (E.164), or none. */
export async function setBackupPhone(db: Db, ref: string, backupPhone: string | null): Promise<ClientSummary> {
  const found = await findClient(db, ref);
  if (!found) throw new Refusal(`no client with id or JobRun number ${JSON.stringify(ref)}`);
  const client = await db.client.update({
    where: { id: found.id },
    data: { backupPhone },
    include: { numbers: { select: { phoneNumber: true }, orderBy: { phoneNumber: 'asc' } } },
  });
  return summarize(client);
}

export async function setPaused(db: Db, ref: string, paused: boolean): Promise<ClientSummary & { changed: boolean }> {
  const found = await findClient(db, ref);
  if (!found) throw new Refusal(`no client with id or JobRun number ${JSON.stringify(ref)}`);
  const { changed } = await setOutboundPaused(db, found.id, paused);
  const client = await db.client.findUnique({
    where: { id: found.id },
    include: { numbers: { select: { phoneNumber: true }, orderBy: { phoneNumber: 'asc' } } },
  });
  if (!client) throw new Refusal(`no client with id or JobRun number ${JSON.stringify(ref)}`);
  return { ...summarize(client), changed };
}

function summarize(c: {
  id: string;
  businessName: string;
  phoneNumber: string;
  backupPhone: string | null;
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
    backupPhone: c.backupPhone,
    trade: c.trade,
    serviceArea: c.serviceArea,
    numbers: c.numbers.map((n) => n.phoneNumber),
    outboundPaused: c.outboundPaused,
    createdAt: c.createdAt,
  };
}
