// What an escalation says: the ask to take the job, the call's words, and the
// customer's updates. The customer is told what is true (the tradesperson has
// it, or has not answered yet), never a time nobody gave.
import type { JobDetails } from './shared/turn';

/** Appended to every URGENT or EMERGENCY text to the tradesperson about a job. */
export function takeAsk(reference: string | null): string {
  return reference ? `Reply ${reference} (or 1) to take it.` : 'Reply 1 to take it.';
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 3).trimEnd()}...`);

/**
 * Spoken to the tradesperson before they are asked to press 1: trade,
 * problem, area (the postcode's outward half, a place and not an address).
 */
export function callScript(urgency: 'URGENT' | 'EMERGENCY', businessName: string, reference: string, job: Pick<JobDetails, 'tradeCategory' | 'description' | 'postcode'>): string {
  // "J 12" is read as a letter and a number, not a word.
  const spokenReference = reference.replace(/^J/, 'J ');
  const parts = [
    `This is JobRun with an ${urgency === 'EMERGENCY' ? 'emergency' : 'urgent'} job for ${businessName}, job ${spokenReference}, not yet taken.`,
    job.tradeCategory ? `${job.tradeCategory[0]!.toUpperCase()}${job.tradeCategory.slice(1)}.` : '',
    job.description ? `${clip(job.description.replace(/\s+/g, ' ').trim(), 160).replace(/[.!?]*$/, '')}.` : '',
    job.postcode ? `In ${job.postcode.split(' ')[0]}.` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

export const CALL_PROMPT = 'Press 1 to take the job and be put through to the customer.';

/** To the customer when the chain has run out and a person at JobRun has been asked to chase: what to do meanwhile. */
export function stillTrying(businessName: string, safetyAdvice: string | null): string {
  const meanwhile = safetyAdvice ?? 'If anyone is in danger, call 999.';
  return `We haven't been able to reach ${businessName} yet, so we've asked our team to chase them. ${meanwhile}`;
}

/** To the customer when the tradesperson took the job by text (by call, their phone is already ringing). */
export function jobTaken(businessName: string): string {
  return `Good news: ${businessName} has your job and will contact you on this number.`;
}
