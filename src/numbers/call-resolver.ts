// The voice routes must answer Twilio at once, database or not: a number's
// role is read with a short timeout, and when the database cannot answer the
// last known role is used, else SYSTEM, whose fail-safe needs no database.
import type { Db } from '../db';
import type { Logger } from '../logger';
import { withTimeout } from '../temporal/client';
import type { NumberRole } from '../../workflows/shared/types';
import { resolveNumberRole } from './resolve';

export type CallResolver = (phoneNumber: string) => Promise<NumberRole>;

export function createCallResolver(db: Db, logger: Logger, timeoutMs = 1500): CallResolver {
  const lastKnown = new Map<string, NumberRole>();
  return async (phoneNumber) => {
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
}
