import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Db = PrismaClient;
export { Prisma } from './generated/prisma/client';

/**
 * Every statement is bounded (the seed's 5 s per query) so that a stuck
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

/** Prisma's code for a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
