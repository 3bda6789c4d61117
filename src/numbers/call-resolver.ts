// The voice routes must answer Twilio at once, database or not: a number's
// role is read with a short timeout, and when the database cannot answer,
// the last known role is used, else SYSTEM, whose fail-safe needs no
// database. The whole pool is read into memory at start and every minute, so
// that a client's number never called before still names its business (and
// its caller is texted back in that name) while Postgres is down.
import type { Db } from '../db';
import type { Logger } from '../logger';
import { withTimeout } from '../temporal/client';
import type { NumberRole } from '../../workflows/shared/types';
import { resolveNumberRole, roleOf } from './resolve';

/** Whether a caller is one of JobRun's own numbers (see isJobRunRole). */
export interface OwnNumberCheck {
  isJobRunNumber(phoneNumber: string): boolean | Promise<boolean>;
}

export type CallResolver = ((phoneNumber: string) => Promise<NumberRole>) & {
  /** From the pool as last read (every minute): no database on the call's path. */
  isJobRunNumber(phoneNumber: string): boolean;
};

/**
 * One of JobRun's own numbers (in the pool, whatever its role). An escalation
 * call JobRun places to a tradesperson who diverts unanswered calls to their
 * JobRun number comes back in from it: never forwarded, never texted back.
 */
export function isJobRunRole(role: NumberRole): boolean {
  return role.role !== 'SYSTEM' || role.reason === 'unassigned';
}

export function createCallResolver(db: Db, logger: Logger, { timeoutMs = 1500, refreshMs = 60_000 } = {}): CallResolver {
  const lastKnown = new Map<string, NumberRole>();
  const refresh = async () => {
    try {
      const pool = await withTimeout(timeoutMs * 4, 'reading the number pool', () => db.twilioNumberPool.findMany({ include: { client: true } }));
      for (const entry of pool) lastKnown.set(entry.phoneNumber, roleOf(entry));
    } catch (err) {
      logger.warn({ event: 'voice.pool_refresh_failed', error: (err as Error).message }, 'cannot read the number pool; keeping what is known');
    }
  };
  void refresh();
  setInterval(() => void refresh(), refreshMs).unref();

  const resolve = async (phoneNumber: string): Promise<NumberRole> => {
    try {
      const role = await withTimeout(timeoutMs, 'number lookup', () => resolveNumberRole(db, phoneNumber));
      lastKnown.set(phoneNumber, role);
      return role;
    } catch (err) {
      const known = lastKnown.get(phoneNumber);
      logger.error(
        { event: 'voice.number_lookup_failed', to: phoneNumber, error: (err as Error).message, fallback: known ? known.role : 'SYSTEM' },
        'cannot read the number pool; answering from what is known',
      );
      return known ?? { role: 'SYSTEM', reason: 'unresolved' };
    }
  };
  const isJobRunNumber = (phoneNumber: string) => {
    const known = lastKnown.get(phoneNumber);
    return known !== undefined && isJobRunRole(known);
  };
  return Object.assign(resolve, { isJobRunNumber });
}
