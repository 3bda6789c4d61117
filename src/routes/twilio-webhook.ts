import express, { type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Config } from '../config';
import { isValidTwilioSignature } from '../twilio/signature';

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio posts forms; nothing larger than a webhook is accepted. */
export const parseTwilioForm: RequestHandler = express.urlencoded({ extended: false, limit: '64kb' });

/**
 * 403 and nothing more unless X-Twilio-Signature matches the URL Twilio
 * called (PUBLIC_BASE_URL + path + query) and the posted parameters.
 */
export function verifyTwilioSignature(config: Config, onForbidden: () => void = () => undefined): RequestHandler {
  return (req, res, next) => {
    if (!config.twilio.signatureCheck) return next();
    const url = `${config.publicBaseUrl}${req.originalUrl}`;
    const params = (req.body ?? {}) as Record<string, string>;
    if (isValidTwilioSignature(config.twilio.authToken!, req.header('x-twilio-signature'), url, params)) return next();
    onForbidden();
    res.status(403).type('text/plain').send('invalid or missing X-Twilio-Signature\n');
  };
}

/** The webhook's fields, or undefined once a 400 naming the first bad field has been sent. */
export function parseWebhook<S extends z.ZodType>(schema: S, input: unknown, res: Response, what: string): z.infer<S> | undefined {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  res.status(400).type('text/plain').send(`invalid ${what}: ${String(issue.path[0] ?? 'body')}: ${issue.message}\n`);
  return undefined;
}
