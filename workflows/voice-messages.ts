// What callers hear and read. The SYSTEM text is fixed word for word (operators
// and black-box tests look for it): generic, no business name, because the
// number belongs to no one.

export const FAILSAFE_TEXT =
  "We missed your call. Please reply with details about the job you need help with and we'll get back to you shortly.";

export function textBack(businessName: string): string {
  return `Sorry we missed your call to ${businessName}! I'm their automated assistant. Please reply with what you need help with and your postcode, and we'll get back to you shortly.`;
}

export function pausedTextBack(businessName: string, ownerPhone: string): string {
  return `Sorry we missed your call to ${businessName}. We can't reply by text at the moment; please call ${ownerPhone} again a little later.`;
}

const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });

/** To the tradesperson: a missed call that reached JobRun (from Twilio's log) too late to text back. */
export function lateCallText(businessName: string, caller: string, calledAt: string): string {
  return `JobRun: ${caller} rang ${businessName} at ${UK_TIME.format(new Date(calledAt))} and was missed. JobRun only learnt of it later, too late to text them back: please ring them.`;
}
