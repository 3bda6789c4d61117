import { resolveNumberRole } from '../src/numbers/resolve';
import type { NumberRole } from '../src/workflow-api';
import type { ActivityDeps } from './deps';

export function createResolveNumber({ db }: ActivityDeps) {
  return async function resolveNumber(phoneNumber: string): Promise<NumberRole> {
    return resolveNumberRole(db, phoneNumber);
  };
}
