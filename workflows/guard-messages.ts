// The customer-facing words of the inbound guards (workflows/inbound-sms.ts). A customer always hears back.

export const INVARIANT_REPLY =
  "We're experiencing a technical issue and can't respond properly right now. We've been alerted and someone will get back to you shortly.";

export function systemGateReply(ownerPhone: string): string {
  return `Thanks for your message! We're temporarily unable to respond by text. Please call ${ownerPhone} and we'll help you directly.`;
}

export const SYSTEM_NUMBER_REPLY =
  "Thanks for your message. This number isn't being monitored at the moment; we've passed your message on and someone will get back to you shortly.";

