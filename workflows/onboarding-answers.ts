// Reading a tradesperson's answers during SMS onboarding. Pure functions: the
// workflow bundle imports them, and unit tests call them directly.
import { keyword } from './shared/keywords';

const TRADES = ['plumbing', 'heating', 'electrical', 'drainage', 'roofing', 'locksmith'] as const;
type KnownTrade = (typeof TRADES)[number];

/** Most districts one sign-up takes (the summary text must stay a few SMS long). */
export const MAX_DISTRICTS = 50;

/**
 * How a tradesperson stops signing up. Not CANCEL, END or QUIT: Twilio takes
 * those, like STOP, as an opt-out and blocks every later text to them.
 */
export function isExit(body: string): boolean {
  return keyword(body) === 'EXIT';
}

export function parseBusinessName(body: string): string | null {
  const name = body
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, '')
    .trim();
  if (name.length < 2 || name.length > 80) return null;
  if (!/\p{L}/u.test(name)) return null;
  return name;
}

const TRADE_WORDS: Record<KnownTrade, string[]> = {
  plumbing: ['plumbing', 'plumber', 'plumbers'],
  heating: ['heating', 'heating engineer', 'gas', 'gas engineer', 'gas safe', 'boiler', 'boilers', 'boiler engineer'],
  electrical: ['electrical', 'electrician', 'electricians', 'electric', 'electrics', 'sparky', 'sparks'],
  drainage: ['drainage', 'drains', 'drain', 'drain clearance', 'drain unblocking'],
  roofing: ['roofing', 'roofer', 'roofers', 'roof', 'roofs'],
  locksmith: ['locksmith', 'locksmiths', 'locks', 'locksmithing'],
};

/**
 * One of the known trades (from its name or a common way of saying it), or
 * the tradesperson's own words, trimmed; null when there is nothing to keep.
 */
export function parseTrade(body: string): string | null {
  const words = body
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}&/ -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const plain = words.replace(/^(i am an? |im an? |an? )/, '').trim();
  for (const trade of TRADES) {
    if (TRADE_WORDS[trade].includes(plain)) return trade;
  }
  const free = body.replace(/\s+/g, ' ').trim();
  if (free.length < 2 || free.length > 60 || !/\p{L}{2}/u.test(free)) return null;
  return free;
}

/**
 * UK postcode outward codes (districts): A9, A99, AA9, AA99, A9A, AA9A, with
 * the letters each position may hold.
 */
const DISTRICT = /^(?:[A-PR-UWYZ]\d{1,2}|[A-PR-UWYZ][A-HK-Y]\d{1,2}|[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY])$/;
const INWARD = /^\d[ABD-HJLNP-UW-Z]{2}$/;

export function isDistrict(token: string): boolean {
  return DISTRICT.test(token.toUpperCase());
}

export type ServiceAreaAnswer =
  | { ok: true; districts: string[] }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too-many' }
  /** `invalid`: the parts that are not districts; `districts`: the ones that were. */
  | { ok: false; reason: 'invalid'; invalid: string[]; districts: string[] };

/**
 * "SW1, SE15, CR0", "sw1 se15 and cr0" or a full postcode ("SW1A 1AA" counts
 * as its district SW1A). Every part must be a district: anything else is
 * named back to the tradesperson instead of being guessed at.
 */
export function parseServiceArea(body: string): ServiceAreaAnswer {
  const tokens = body
    .replace(/\b(and|&)\b|&/gi, ',')
    .split(/[\s,;/+]+/)
    .map((t) => t.replace(/^[.()"']+|[.()"']+$/g, ''))
    .filter((t) => t !== '');
  if (tokens.length === 0) return { ok: false, reason: 'empty' };
  const districts: string[] = [];
  const invalid: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const upper = token.toUpperCase();
    if (isDistrict(upper)) {
      if (!districts.includes(upper)) districts.push(upper);
      // A whole postcode: its inward half ("1AA") belongs to the district before it.
      if (i + 1 < tokens.length && INWARD.test(tokens[i + 1]!.toUpperCase())) i++;
      continue;
    }
    // A whole postcode written without its space ("SW1A1AA").
    const joined = /^([A-Z0-9]{2,4})(\d[A-Z]{2})$/.exec(upper);
    if (joined && isDistrict(joined[1]!) && INWARD.test(joined[2]!)) {
      if (!districts.includes(joined[1]!)) districts.push(joined[1]!);
      continue;
    }
    if (!invalid.includes(token)) invalid.push(token);
  }
  if (invalid.length > 0) return { ok: false, reason: 'invalid', invalid, districts };
  if (districts.length > MAX_DISTRICTS) return { ok: false, reason: 'too-many' };
  return { ok: true, districts };
}

type ConfirmAnswer = 'yes' | 'name' | 'trade' | 'areas' | 'restart' | 'other';

const YES = new Set(['YES', 'Y', 'YEAH', 'YEP', 'YUP', 'YES PLEASE', 'CONFIRM', 'CONFIRMED', 'CORRECT', 'YES CONFIRM']);

/** The answer to the summary: YES, a field to change, RESTART, or anything else. */
export function parseConfirm(body: string): ConfirmAnswer {
  const k = keyword(body);
  if (YES.has(k)) return 'yes';
  if (k === 'NAME' || k === 'BUSINESS NAME' || k === 'BUSINESS' || k === '1') return 'name';
  if (k === 'TRADE' || k === '2') return 'trade';
  if (k === 'AREA' || k === 'AREAS' || k === 'SERVICE AREA' || k === 'POSTCODES' || k === '3') return 'areas';
  if (k === 'RESTART' || k === 'START AGAIN' || k === 'START OVER') return 'restart';
  return 'other';
}
