// The customer-facing words of the inbound guards (workflows/inbound-sms.ts). A customer always hears back.

export const INVARIANT_REPLY =
  "We're experiencing a technical issue and can't respond properly right now. We've been alerted and someone will get back to you shortly.";

export function systemGateReply(ownerPhone: string): string {
  return `Thanks for your message! We're temporarily unable to respond by text. Please call ${ownerPhone} and we'll help you directly.`;
}

export const SYSTEM_NUMBER_REPLY =
  "Thanks for your message. This number isn't being monitored at the moment; we've passed your message on and someone will get back to you shortly.";


/** To the tradesperson's own phone, texting their JobRun number. */
export const TRADESPERSON_HELP =
  "This is your JobRun number: your customers' texts and missed calls come here and JobRun answers them for you. Texts from your own phone are not taken as a customer's.";

/** To the tradesperson: a customer who opted out of JobRun's texts (STOP) wrote again. */
export function optedOutNotice(customerPhone: string, body: string): string {
  const words = body.length > 300 ? `${body.slice(0, 297)}...` : body;
  return `JobRun: ${customerPhone} has opted out of texts from JobRun (they sent STOP), so JobRun cannot reply, but they wrote: "${words}" Please ring them if it needs a reply.`;
}

/** To a customer whose text JobRun could not handle: a person will. */
export function holdingReply(businessName: string): string {
  return `Thanks for your message. Someone from ${businessName} will get back to you shortly.`;
}

/** To the tradesperson: a conversation passed its length cap and is theirs now. */
export function handoverNotice(customerPhone: string, turns: number, reference: string | null): string {
  return `JobRun${reference ? ` ${reference}` : ''}: the conversation with ${customerPhone} passed ${turns} texts, so JobRun has stopped replying and handed it to you. Please ring or text them. JobRun still tells you at once if they report an emergency.`;
}
