// Every payload JobRun hands Temporal (workflow inputs and results, signals,
// queries, memos, activity inputs and outputs, failure messages and stacks) is
// encrypted in this process first, so Temporal's history and Web UI hold
// ciphertext: customers' phone numbers and texts never rest there in clear.
// The shape follows Temporal's encryption sample: the whole Payload, metadata
// included, is serialised and sealed with AES-256-GCM, and the result says
// which key sealed it so that keys can be rotated.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * PAYLOAD_ENCRYPTION_KEYS: `<key id>:<32 bytes in base64>`, comma-separated,
 * newest first. Throws a message that never contains key material.
 */
export function parsePayloadKeys(text: string): PayloadKey[] {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      if (!KEY_ID.test(id)) throw new Error(`key ${i + 1} must be written <key id>:<32 bytes in base64>, the id letters, digits, . _ or -`);
      const material = entry.slice(colon + 1);
      const key = Buffer.from(material, 'base64');
      if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(material)) {
        throw new Error(`key ${JSON.stringify(id)} must be 32 bytes in base64 (openssl rand -base64 32 makes one)`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw new Error('must hold at least one <key id>:<32 bytes in base64>');
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new Error(`key id ${JSON.stringify(repeated)} appears twice`);
  return keys;
}

/** A new key entry for PAYLOAD_ENCRYPTION_KEYS, dated so that a rotation's order is plain, and unique the same day. */
export function newPayloadKeyEntry(now = new Date()): string {
  return `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;
}

/**
 * Seals with the first key; opens with whichever key a payload names. A payload
 * that is not encrypted (histories from before encryption, the recorded replay
 * histories) passes through, so old workflows keep replaying.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: PayloadKey[]) {
    if (keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.current = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      // The key id is bound in, so a payload relabelled with another id fails to open.
      cipher.setAAD(Buffer.from(this.current.id));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encode(this.current.id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!idBytes || !payload.data) throw new ValueError('an encrypted payload without its key id or data');
      const id = decode(idBytes);
      const key = this.byId.get(id);
      if (!key) throw new ValueError(`payload sealed with key ${JSON.stringify(id)}, which PAYLOAD_ENCRYPTION_KEYS does not hold`);
      const data = Buffer.from(payload.data);
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('an encrypted payload too short to hold its nonce and tag');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new ValueError(`payload sealed with key ${JSON.stringify(id)} does not open with it: tampered, or the key's material changed`);
      }
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
