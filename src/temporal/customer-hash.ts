// The JobRunCustomerHash search attribute: how an operator finds a customer's
// workflows in the Temporal Web UI without their number being there. Keyed
// (HMAC-SHA256 with SEARCH_HASH_KEY), so that someone who can read Temporal's
// visibility store cannot reverse it by hashing the UK's mobile range.
import { createHash, createHmac } from 'node:crypto';

export type CustomerHash = (phone: string) => string;

/**
 * Without a key, and for workflows started before there was one: a plain
 * SHA-256, which anyone can recompute. Still found by `jobrun customers find`.
 */
export function legacyCustomerHash(phone: string): string {
  return createHash('sha256').update(`jobrun:${phone}`).digest('hex').slice(0, 16);
}

export function customerHasher(key: string | undefined): CustomerHash {
  if (!key) return legacyCustomerHash;
  return (phone) => createHmac('sha256', key).update(phone).digest('hex').slice(0, 32);
}

/** What to search the Web UI with for a customer: the keyed value, and the one their older workflows carry. */
export function customerSearch(key: string | undefined, phone: string): string {
  const values = [...new Set([customerHasher(key)(phone), legacyCustomerHash(phone)])];
  return values.length === 1 ? `JobRunCustomerHash="${values[0]}"` : `JobRunCustomerHash IN (${values.map((v) => `"${v}"`).join(', ')})`;
}
