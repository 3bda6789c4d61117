import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { customerHasher, customerSearch, legacyCustomerHash } from '../../src/temporal/customer-hash';

const PHONE = '+447911123456';

test('keyed: 128 bits of HMAC, the same for the same key, different for another key, and not the plain SHA-256 anyone can compute', () => {
  const a = customerHasher('key-a-0123456789abcdef0123456789ab');
  const b = customerHasher('key-b-0123456789abcdef0123456789ab');
  assert.match(a(PHONE), /^[0-9a-f]{32}$/);
  assert.equal(a(PHONE), a(PHONE));
  assert.notEqual(a(PHONE), b(PHONE));
  assert.notEqual(a(PHONE), a('+447911123457'));
  const plain = createHash('sha256').update(`jobrun:${PHONE}`).digest('hex');
  assert.ok(!plain.startsWith(a(PHONE)));
});

test('without a key the legacy hash stands; a search finds both what new and what older workflows carry', () => {
  assert.equal(customerHasher(undefined)(PHONE), legacyCustomerHash(PHONE));
  assert.equal(customerSearch(undefined, PHONE), `JobRunCustomerHash="${legacyCustomerHash(PHONE)}"`);
  const key = 'key-a-0123456789abcdef0123456789ab';
  assert.equal(customerSearch(key, PHONE), `JobRunCustomerHash IN ("${customerHasher(key)(PHONE)}", "${legacyCustomerHash(PHONE)}")`);
});
