import { createHash } from 'node:crypto';
import { z } from 'zod';

const E164_RE = /^\+[1-9]\d{7,14}$/;

export const E164 = z.string().trim().regex(E164_RE, 'must be an E.164 phone number such as +447700900123');

export function isE164(value: string): boolean {
  return E164_RE.test(value);
}

/** For logs: all but the last three digits hidden. */
export function maskPhone(phone: string | undefined | null): string {
  if (!phone) return '';
  return phone.length <= 3 ? '***' : `${'*'.repeat(Math.max(phone.length - 3, 0))}${phone.slice(-3)}`;
}

/** A stable, non-reversible handle on a customer's number for search attributes and logs. */
export function phoneHash(phone: string): string {
  return createHash('sha256').update(`jobrun:${phone}`).digest('hex').slice(0, 16);
}
