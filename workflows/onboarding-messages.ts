// Every text a tradesperson gets while signing up by SMS. Pure functions: the
// workflow bundle imports them, and unit tests read them directly.
import type { OnboardingData, OnboardingStep } from './shared/types';
import { MAX_DISTRICTS, type ServiceAreaAnswer } from './onboarding-answers';

const TRADE_CHOICES = 'plumbing, heating, electrical, drainage, roofing or locksmith';
const AREA_EXAMPLE = 'for example: SW1, SE15, CR0';

export const ASK_BUSINESS_NAME = "What's the name of your business?";

export const WELCOME =
  "Welcome to JobRun! When you miss a call, we text your customer back for you so the job isn't lost. " +
  `Setting up takes 3 quick questions; reply EXIT at any time to stop.\n\nFirst, ${ASK_BUSINESS_NAME.charAt(0).toLowerCase()}${ASK_BUSINESS_NAME.slice(1)}`;

export const BAD_BUSINESS_NAME = `Sorry, I didn't get that. ${ASK_BUSINESS_NAME} (2 to 80 characters)`;

export function askTrade(businessName?: string): string {
  const thanks = businessName ? `Thanks, ${businessName}! ` : '';
  return `${thanks}What's your trade? Reply ${TRADE_CHOICES}, or tell us in a few words.`;
}

export const BAD_TRADE = `Sorry, I didn't get that. What's your trade? Reply ${TRADE_CHOICES}, or tell us in a few words.`;

export const ASK_SERVICE_AREA = `Which areas do you cover? Reply with the postcode districts, separated by commas, ${AREA_EXAMPLE}`;

export function badServiceArea(answer: Exclude<ServiceAreaAnswer, { ok: true }>): string {
  const how = `Please send the postcode districts you cover, separated by commas, ${AREA_EXAMPLE}`;
  if (answer.reason === 'too-many') return `That's more than ${MAX_DISTRICTS} districts. ${how} (up to ${MAX_DISTRICTS}).`;
  if (answer.reason === 'empty') return `Sorry, I didn't get that. ${how}`;
  if (answer.districts.length === 0) return `Sorry, I couldn't read that as postcode districts. ${how}`;
  const shown = answer.invalid.slice(0, 3).map((t) => `"${t.slice(0, 20)}"`);
  const more = answer.invalid.length > 3 ? ' and others' : '';
  const what = answer.invalid.length === 1 ? 'a postcode district' : 'postcode districts';
  return `Sorry, I couldn't read ${shown.join(', ')}${more} as ${what}. ${how}`;
}

/** The summary that asks for YES. */
export function summary(data: OnboardingData): string {
  return [
    'Please check your details:',
    `Business: ${data.businessName ?? '-'}`,
    `Trade: ${data.trade ?? '-'}`,
    `Areas: ${(data.serviceArea ?? []).join(', ') || '-'}`,
    '',
    'Reply YES to confirm. To change something, reply NAME, TRADE or AREAS, or RESTART to start again.',
  ].join('\n');
}

export const CONFIRM_HELP =
  "Sorry, I didn't catch that. Reply YES to confirm your details, NAME, TRADE or AREAS to change one of them, or RESTART to start again.";

export const RESTARTED = `No problem, let's start again. ${ASK_BUSINESS_NAME}`;

/** The question for a step, asked again when a field is being changed. */
export function questionFor(step: OnboardingStep | 'NEW', data: OnboardingData): string {
  switch (step) {
    case 'NEW':
    case 'ASK_BUSINESS_NAME':
      return ASK_BUSINESS_NAME;
    case 'ASK_TRADE':
      return askTrade();
    case 'ASK_SERVICE_AREA':
      return ASK_SERVICE_AREA;
    default:
      return summary(data);
  }
}

export function reminder(step: OnboardingStep | 'NEW', data: OnboardingData): string {
  return `Just a reminder: you're nearly set up with JobRun. ${questionFor(step, data)}`;
}

export const EXPIRED =
  "We haven't heard back, so we've closed your JobRun sign-up for now. Text this number any time to start again.";

export const CANCELLED =
  "OK, we've cancelled your JobRun sign-up and won't text you about it again. Text this number any time to start again.";

/** How a UK tradesperson dials the number in a divert code: national format (07...). */
export function dialFormat(e164: string): string {
  return e164.startsWith('+44') ? `0${e164.slice(3)}` : e164;
}

function divertHelp(jobrunNumber: string): string {
  const dial = dialFormat(jobrunNumber);
  return (
    `To send your missed calls to it, dial **61*${dial}# (calls you don't answer) and **67*${dial}# (calls when you're busy) ` +
    "on your phone and press call. We'll text your customers back whenever you miss them."
  );
}

export function complete(businessName: string, jobrunNumber: string | null): string {
  if (!jobrunNumber) return `You're all set, ${businessName}! Our team will text you your JobRun number shortly.`;
  return `You're all set, ${businessName}! Your JobRun number is ${jobrunNumber}. ${divertHelp(jobrunNumber)}`;
}

export function numberReady(businessName: string, jobrunNumber: string | null): string {
  return `Good news: ${complete(businessName, jobrunNumber).replace(/^You're/, "you're")}`;
}

export function noNumberYet(businessName: string): string {
  return (
    `Thanks, ${businessName}! Your details are saved. We're getting a JobRun number ready for you ` +
    "and we'll text you here as soon as it's set up. Reply EXIT if you change your mind."
  );
}

export const STILL_WAITING =
  "We're still getting your JobRun number ready and we'll text you here as soon as it's set up. Reply EXIT if you change your mind.";

export const WAITING_GAVE_UP =
  "Sorry, we still don't have a JobRun number ready for you. Our team knows and will contact you directly.";

/** To a phone that is already a JobRun client's: no sign-up questions. */
export function alreadyClient(businessName: string, jobrunNumber: string | null): string {
  if (!jobrunNumber) return `You're already set up with JobRun as ${businessName}. Our team will be in touch about your JobRun number.`;
  return `You're already set up with JobRun as ${businessName}. Your JobRun number is ${jobrunNumber}. ${divertHelp(jobrunNumber)}`;
}
