import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { encode } from '@temporalio/common/lib/encoding';
import { ConfigError, loadConfig } from '../../src/config';
import { EncryptionCodec, newPayloadKeyEntry, parsePayloadKeys } from '../../src/temporal/payload-encryption';

const OLD = `old:${Buffer.alloc(32, 7).toString('base64')}`;
const NEW = `new:${Buffer.alloc(32, 9).toString('base64')}`;
const VALUE = { from: '+447700900123', body: 'gas smell in the hall' };
const payload = () => defaultPayloadConverter.toPayload(VALUE);
const values = (ps: Array<Parameters<typeof defaultPayloadConverter.fromPayload>[0]>) => ps.map((p) => defaultPayloadConverter.fromPayload(p));
const text = (p: { data?: Uint8Array | null }) => Buffer.from(p.data ?? []).toString('utf8');
const keyId = (p: { metadata?: Record<string, Uint8Array> | null }) => Buffer.from(p.metadata?.['encryption-key-id'] ?? []).toString('utf8');

test('a sealed payload holds nothing of the original and opens to exactly it', async () => {
  const codec = new EncryptionCodec(parsePayloadKeys(NEW));
  const [sealed] = await codec.encode([payload()]);
  assert.doesNotMatch(text(sealed!), /447700900123|gas smell/);
  assert.equal(Buffer.from(sealed!.metadata!.encoding!).toString(), 'binary/encrypted');
  assert.deepEqual(values(await codec.decode([sealed!])), [VALUE]);
  const [again] = await codec.encode([payload()]);
  assert.notDeepEqual(again!.data, sealed!.data, 'a fresh nonce every time');
});

test('rotation: the first key seals, every listed key opens; a key taken out of the list no longer opens', async () => {
  const [byOld] = await new EncryptionCodec(parsePayloadKeys(OLD)).encode([payload()]);
  const rotated = new EncryptionCodec(parsePayloadKeys(`${NEW},${OLD}`));
  assert.deepEqual(values(await rotated.decode([byOld!])), [VALUE]);
  const [byNew] = await rotated.encode([payload()]);
  assert.equal(keyId(byNew!), 'new');
  await assert.rejects(new EncryptionCodec(parsePayloadKeys(NEW)).decode([byOld!]), /sealed with key "old", which PAYLOAD_ENCRYPTION_KEYS does not hold/);
});

test('a tampered or relabelled payload is refused, not opened to garbage', async () => {
  const codec = new EncryptionCodec(parsePayloadKeys(`${NEW},${OLD}`));
  const [sealed] = await codec.encode([payload()]);
  const flipped = Buffer.from(sealed!.data!);
  flipped[20] = flipped[20]! ^ 1;
  await assert.rejects(codec.decode([{ ...sealed!, data: flipped }]), /does not open/);
  await assert.rejects(codec.decode([{ ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': encode('old') } }]), /does not open/);
});

test('payloads from before encryption pass through, so old histories replay', async () => {
  assert.deepEqual(values(await new EncryptionCodec(parsePayloadKeys(NEW)).decode([payload()])), [VALUE]);
});

test('PAYLOAD_ENCRYPTION_KEYS: a bad entry is named without its material; npm start writes good ones', () => {
  const material = Buffer.alloc(31, 5).toString('base64');
  for (const [value, message] of [
    [`k1:${material}`, /key "k1" must be 32 bytes in base64/],
    [Buffer.alloc(32).toString('base64'), /key 1 must be written <key id>:<32 bytes in base64>/],
    [`${NEW},${NEW}`, /key id "new" appears twice/],
    [' , ', /at least one/],
  ] as const) {
    assert.throws(() => loadConfig({ TWILIO_SIGNATURE_CHECK: 'off', PAYLOAD_ENCRYPTION_KEYS: value }), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^PAYLOAD_ENCRYPTION_KEYS: /);
      assert.match(err.message, message);
      assert.ok(!err.message.includes(material) && !err.message.includes(NEW.slice(4)), 'no key material in the message');
      return true;
    });
  }
  const entry = newPayloadKeyEntry(new Date('2026-12-01T12:00:00Z'));
  assert.match(entry, /^k20261201-[0-9a-f]{6}:/);
  assert.notEqual(entry.split(':')[0], newPayloadKeyEntry(new Date('2026-12-01T12:00:00Z')).split(':')[0], 'two keys made the same day differ');
  assert.equal(parsePayloadKeys(entry)[0]!.key.length, 32);
});

test('encryption is on with keys, off only when asked, and missing otherwise; off and keys together is refused', () => {
  assert.equal(loadConfig({ TWILIO_SIGNATURE_CHECK: 'off', PAYLOAD_ENCRYPTION_KEYS: NEW }).payloadEncryption.mode, 'on');
  assert.equal(loadConfig({ TWILIO_SIGNATURE_CHECK: 'off', PAYLOAD_ENCRYPTION: 'off' }).payloadEncryption.mode, 'off');
  assert.equal(loadConfig({ TWILIO_SIGNATURE_CHECK: 'off' }).payloadEncryption.mode, 'missing');
  assert.throws(() => loadConfig({ TWILIO_SIGNATURE_CHECK: 'off', PAYLOAD_ENCRYPTION: 'off', PAYLOAD_ENCRYPTION_KEYS: NEW }), /PAYLOAD_ENCRYPTION: is off but PAYLOAD_ENCRYPTION_KEYS is set/);
});
