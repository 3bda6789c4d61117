import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A secret of `npm start`'s (the console password, the hash and payload keys): made on the first run, readable by this user only, the same on every later one. */
export function localSecret(file: string, bytes = 12, make = () => randomBytes(bytes).toString('base64url')): string {
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 8) return kept;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = make();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
