import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Db = PrismaClient;
export { Prisma } from './generated/prisma/client';

/**
 * Every statement is bounded (5 s by default) so that a stuck
 * database turns into an activity failure that Temporal retries, never a hang.
 */
export function createDb(databaseUrl: string, statementTimeoutMs = 5000, max = 10): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    statement_timeout: statementTimeoutMs,
    connectionTimeoutMillis: 5000,
    max,
  });
  return new PrismaClient({ adapter });
}

/**
 * Postgres refusing the data itself (SQLSTATE class 22, a bad value; 23, a
 * broken constraint other than a unique key, which callers handle): the same
 * statement fails however often it is retried.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { cause?: { originalCode?: string } }).cause?.originalCode;
  return typeof code === 'string' && (code.startsWith('22') || (code.startsWith('23') && code !== '23505'));
}

/** Prisma's code for a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

/**
 * Runs an upsert that may race another one for the same unique key. Prisma's
 * upsert reads and then inserts here (the driver adapter has no native
 * ON CONFLICT), so of two first texts from a new customer arriving together
 * one gets a unique violation; the row exists by then and a second run updates
 * it. Without this the loser waited out a whole activity retry, and a burst of
 * texts could reach its conversation out of order.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return upsert();
  }
}
