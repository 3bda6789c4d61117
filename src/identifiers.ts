// The shapes of the identifiers JobRun takes from outside (webhooks, the
// CLI, configuration): E.164 phone numbers and Twilio SIDs.
import { z } from 'zod';

const E164_RE = /^\+[1-9]\d{7,14}$/;

export const E164 = z.string().trim().regex(E164_RE, 'must be an E.164 phone number such as +447700900123');

export function isE164(value: string): boolean {
  return E164_RE.test(value);
}

/** An SMS (SM...) or MMS (MM...) SID. */
export const MessageSid = z.string().regex(/^(SM|MM)[0-9A-Za-z]{8,64}$/, 'must be a Twilio message SID (SM...)');

export const CallSid = z.string().regex(/^CA[0-9A-Za-z]{8,64}$/, 'must be a Twilio call SID (CA...)');
