import { createHash } from 'node:crypto';

/** A stable, non-reversible handle on a customer's number for the JobRunCustomerHash search attribute. */
export function customerHash(phone: string): string {
  return createHash('sha256').update(`jobrun:${phone}`).digest('hex').slice(0, 16);
}
