import twilio from 'twilio';

/**
 * X-Twilio-Signature: HMAC-SHA1 over the public URL Twilio called (base +
 * path + query) and the sorted POST parameters, keyed by the auth token.
 */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
