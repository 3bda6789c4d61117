// The built-in rules engine: deterministic triage and slot filling. It holds
// the conversation when there is no OPENAI_API_KEY and whenever OpenAI fails,
// so a customer always gets a sensible next question.
import { EMPTY_JOB, type BusinessContext, type JobDetails, type TranscriptLine, type TurnResult, type UrgencyLevel } from './turn';

const UK_POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b/i;

interface Triage {
  urgency: UrgencyLevel;
  reason: string;
  safetyAdvice?: string;
}

const GAS_ADVICE =
  'If you smell gas: leave the property now, do not use switches or flames, and call the National Gas Emergency Service on 0800 111 999.';
const CO_ADVICE =
  'If your CO alarm is sounding: open windows, get everyone outside, and call the National Gas Emergency Service on 0800 111 999.';
const ELECTRIC_ADVICE = 'Please keep clear and, if it is safe to do so, switch off the power at the consumer unit.';

// "electrician" is a trade, not a hazard; lights in a ceiling are where leaks meet wiring.
const NEAR_ELECTRICS = String.raw`(electric(s|al|ity)?|sockets?|plug ?sockets?|(ceiling |down|spot)lights?|light (fitting|switch)(es|s)?|fuse ?box|consumer unit)\b`;

const EMERGENCY_RULES: Array<{ pattern: RegExp; reason: string; advice?: string }> = [
  { pattern: /\b(smell(s|ing)? (of )?gas|gas (smell|leak)|leaking gas)\b/i, reason: 'gas smell', advice: GAS_ADVICE },
  { pattern: /\b(carbon monoxide|co alarm|co detector)\b/i, reason: 'carbon monoxide alarm', advice: CO_ADVICE },
  { pattern: /\b(burning smell|smell of burning|sparking|sparks|smoke)\b.*\b(socket|fuse|electric|wiring|plug|board|switch)|\b(socket|fuse|electric|wiring|plug|board|switch)\w*\b.*\b(burning|sparking|sparks|smok)/i, reason: 'burning or sparking electrics', advice: ELECTRIC_ADVICE },
  { pattern: new RegExp(`\\bwater\\b.*\\b${NEAR_ELECTRICS}|\\b${NEAR_ELECTRICS}.*\\bwater\\b`, 'i'), reason: 'water near electrics', advice: ELECTRIC_ADVICE },
  { pattern: /\b(burst pipe|pipe (has )?burst|flood(ing|ed)?|water (pouring|gushing|everywhere)|ceiling (is )?(leaking|collapsing))\b/i, reason: 'escaping water' },
  { pattern: /\b(locked out|can'?t get in|break[- ]?in|broken into)\b/i, reason: 'locked out or insecure property' },
  { pattern: /\b(sewage|toilet overflowing|overflowing toilet)\b/i, reason: 'sewage overflow' },
];

const URGENT_RULES: Array<{ pattern: RegExp; reason: string }> = [
  { pattern: /\b(no (heating|hot water)|boiler (has )?(stopped|broken|not working|isn'?t working)|boiler.*(down|off))\b/i, reason: 'no heating or hot water' },
  { pattern: /\b(leak(ing)?|dripping)\b/i, reason: 'active leak' },
  { pattern: /\b(no power|power (cut|out)|tripp(ed|ing))\b/i, reason: 'loss of power' },
  { pattern: /\b(blocked|blockage)\b.*\b(toilet|drain|sink)\b|\b(toilet|drain|sink)\b.*\bblocked\b/i, reason: 'blocked drain or toilet' },
  { pattern: /\b(urgent|asap|as soon as possible|today|emergency)\b/i, reason: 'customer says it is urgent' },
];

const TRADE_HINTS: Array<{ pattern: RegExp; trade: string }> = [
  { pattern: /\b(gas|boiler|radiator|heating|thermostat)\b/i, trade: 'heating' },
  { pattern: /\b(drain|sewage|blocked)\b/i, trade: 'drainage' },
  { pattern: /\b(socket|fuse|electric|wiring|light|power|consumer unit)\b/i, trade: 'electrical' },
  { pattern: /\b(roof|tile|gutter|chimney)\b/i, trade: 'roofing' },
  { pattern: /\b(lock|key|locked out|door)\b/i, trade: 'locksmith' },
  { pattern: /\b(pipe|tap|leak|toilet|sink|shower|water|cistern)\b/i, trade: 'plumbing' },
];

export function triage(text: string): Triage {
  for (const rule of EMERGENCY_RULES) {
    if (rule.pattern.test(text)) return { urgency: 'EMERGENCY', reason: rule.reason, safetyAdvice: rule.advice };
  }
  for (const rule of URGENT_RULES) {
    if (rule.pattern.test(text)) return { urgency: 'URGENT', reason: rule.reason };
  }
  return { urgency: 'ROUTINE', reason: 'no urgency signals' };
}

export function findPostcode(text: string): string | null {
  const m = UK_POSTCODE.exec(text);
  return m ? `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}` : null;
}

// Case-sensitive on purpose: the capital letter is what tells "I'm Dave" from "I'm having trouble".
const NAME_PATTERN = /\b(?:[Mm]y name is|[Mm]y name's|I am|I'm|[Tt]his is|[Ii]t's|[Nn]ame:)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)/;
const TIME_PATTERN = /\b(today|tonight|tomorrow|this (morning|afternoon|evening|week)|next week|asap|any ?time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|\d{1,2}(:\d{2})?\s?(am|pm))\b/i;

const QUESTIONS = {
  description: 'What is the problem you need help with?',
  postcode: "What's the postcode of the property?",
  customerName: 'And what name should we use for you?',
  preferredTime: 'When would suit you for someone to come out?',
} as const;
type Slot = keyof typeof QUESTIONS;
const SLOT_ORDER: Slot[] = ['description', 'postcode', 'customerName', 'preferredTime'];

function askedFor(outbound: string | undefined): Slot | null {
  if (!outbound) return null;
  for (const slot of SLOT_ORDER) if (outbound.includes(QUESTIONS[slot])) return slot;
  return null;
}

/** Fills the job's slots from the whole transcript, answers to our own questions first. */
export function extractJob(transcript: TranscriptLine[]): JobDetails {
  const job: JobDetails = { ...EMPTY_JOB };
  let lastAsked: Slot | null = null;
  for (const line of transcript) {
    if (line.direction === 'OUTBOUND') {
      lastAsked = askedFor(line.body);
      continue;
    }
    const text = line.body.trim();
    if (!text) continue;
    const postcode = findPostcode(text);
    if (postcode && !job.postcode) job.postcode = postcode;
    const name = NAME_PATTERN.exec(text)?.[1];
    if (name && !job.customerName) job.customerName = name;
    const time = TIME_PATTERN.exec(text)?.[0];
    if (lastAsked === 'customerName' && !job.customerName && !postcode && text.split(/\s+/).length <= 4) {
      job.customerName = text.replace(/[.!]+$/, '');
    } else if (lastAsked === 'preferredTime' && !job.preferredTime) {
      job.preferredTime = text;
    } else if (time && !job.preferredTime && lastAsked !== 'description' && job.description) {
      job.preferredTime = time;
    }
    const isOnlyPostcode = postcode !== null && text.replace(UK_POSTCODE, '').replace(/[^a-z]/gi, '').length < 3;
    const answersOtherSlot = lastAsked === 'customerName' || lastAsked === 'preferredTime';
    if (!job.description && !isOnlyPostcode && !answersOtherSlot && text.split(/\s+/).length >= 2) {
      job.description = text.slice(0, 300);
    }
    lastAsked = null;
  }
  const all = transcript.filter((l) => l.direction === 'INBOUND').map((l) => l.body).join(' ');
  job.tradeCategory = TRADE_HINTS.find((h) => h.pattern.test(all))?.trade ?? null;
  return job;
}

function inServiceArea(postcode: string | null, area: string[]): boolean {
  if (!postcode || area.length === 0) return true;
  const district = postcode.split(' ')[0]!;
  return area.some((a) => {
    const wanted = a.trim().toUpperCase();
    if (district === wanted) return true;
    // SW1 covers SW1A..SW1Y (London's sub-districts); a bare area such as SE covers every SE district.
    if (/\d$/.test(wanted)) return district.startsWith(wanted) && /^[A-Z]$/.test(district.slice(wanted.length));
    return /^[A-Z]+$/.test(wanted) && district.replace(/\d.*$/, '') === wanted;
  });
}

function clip(text: string): string {
  return text.length <= 320 ? text : `${text.slice(0, 317)}...`;
}

export function rulesTurn(transcript: TranscriptLine[], business: BusinessContext): TurnResult {
  const inbound = transcript.filter((l) => l.direction === 'INBOUND').map((l) => l.body).join('\n');
  const firstReply = !transcript.some((l) => l.direction === 'OUTBOUND');
  const job = extractJob(transcript);
  const t = triage(inbound);
  const intro = firstReply ? `Hi, this is ${business.businessName}'s automated assistant. ` : '';

  if (!inServiceArea(job.postcode, business.serviceArea)) {
    return {
      reply: clip(`${intro}Sorry, ${job.postcode} is outside the area ${business.businessName} covers, so we can't take this job on.`),
      urgency: t.urgency,
      urgencyReason: t.reason,
      job,
      complete: true,
    };
  }

  const missing = SLOT_ORDER.filter((s) => !job[s]);
  // In an emergency only the essentials are asked for before the tradesperson is told.
  const needed = t.urgency === 'EMERGENCY' ? missing.filter((s) => s === 'postcode') : missing;
  const complete = needed.length === 0;
  let body: string;
  if (t.safetyAdvice) {
    body = `${t.safetyAdvice} We've alerted ${business.businessName}.${needed[0] ? ` ${QUESTIONS[needed[0]]}` : ''}`;
  } else if (complete) {
    const who = job.customerName ? `Thanks ${job.customerName}` : 'Thanks';
    body = `${who}, I've passed your job to ${business.businessName} and they'll be in touch shortly.`;
  } else if (t.urgency !== 'ROUTINE' && needed[0] !== 'description') {
    body = `Sorry to hear that. We'll treat this as urgent. ${QUESTIONS[needed[0]!]}`;
  } else {
    body = needed[0] === 'description' ? `${QUESTIONS.description}` : `Thanks. ${QUESTIONS[needed[0]!]}`;
  }
  return { reply: clip(intro + body), urgency: t.urgency, urgencyReason: t.reason, job, complete };
}
