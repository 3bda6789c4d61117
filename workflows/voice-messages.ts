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
