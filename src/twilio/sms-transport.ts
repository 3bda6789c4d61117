// How an SMS leaves JobRun: through Twilio's REST API (every call sent to
// TWILIO_API_BASE_URL), or, without credentials, into the local outbox.
import type { Config } from '../config';
import { createTwilioClient } from './client';

export interface OutgoingSms {
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
}

interface SentSms {
  sid: string;
  status: string;
}

export interface SmsTransport {
  readonly simulated: boolean;
  send(sms: OutgoingSms): Promise<SentSms>;
  /**
   * The SID of a message with exactly this sender, recipient and body that
   * Twilio already holds, created since `since` and not in `excludeSids`:
   * how a retried send finds out that its first attempt reached Twilio.
   */
  findSent(sms: OutgoingSms, since: Date, excludeSids: ReadonlySet<string>): Promise<string | null>;
}

/** A Twilio REST failure, reduced to what the retry decision needs. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/**
 * Twilio errors that no retry can fix: the number is invalid, unsubscribed
 * (21610), cannot receive SMS, or is not allowed for this account.
 */
const PERMANENT_CODES = new Set([21211, 21214, 21217, 21407, 21408, 21421, 21601, 21602, 21604, 21606, 21610, 21612, 21614, 21617, 21659]);

export function isPermanentSmsError(err: SmsSendError): boolean {
  if (err.code !== undefined && PERMANENT_CODES.has(err.code)) return true;
  // A 400 without a known code is a request we built wrong: retrying sends the same thing.
  return err.status === 400;
}

/** A Twilio REST failure (of a text or a call), as SmsSendError. */
export function toSendError(err: unknown): SmsSendError {
  const e = err as { message?: string; status?: number; code?: number | string };
  const code = typeof e.code === 'number' ? e.code : undefined;
  return new SmsSendError(e.message ?? String(err), typeof e.status === 'number' ? e.status : undefined, code);
}

function createTwilioTransport(config: Config['twilio']): SmsTransport {
  const client = createTwilioClient(config);
  return {
    simulated: false,
    async send(sms) {
      try {
        const msg = await client.messages.create({
          to: sms.to,
          from: sms.from,
          body: sms.body,
          ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
        });
        return { sid: msg.sid, status: msg.status };
      } catch (err) {
        throw toSendError(err);
      }
    },
    async findSent(sms, since, excludeSids) {
      try {
        // Filtered on dateCreated here: a message still queued at Twilio has no dateSent yet.
        const recent = await client.messages.list({ to: sms.to, from: sms.from, limit: 50 });
        const match = recent.find(
          (m) => m.body === sms.body && !excludeSids.has(m.sid) && (!m.dateCreated || m.dateCreated >= since),
        );
        return match?.sid ?? null;
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
}

/**
 * Without Twilio credentials nothing leaves the machine: the send ledger
 * keeps the message, marked SIMULATED, and the log says so.
 */
export function createOutboxTransport(): SmsTransport {
  let counter = 0;
  return {
    simulated: true,
    async send() {
      counter += 1;
      const sid = `SMoutbox${Date.now().toString(16)}${counter.toString(16).padStart(8, '0')}`;
      return { sid, status: 'simulated' };
    },
    async findSent() {
      return null;
    },
  };
}

export function createSmsTransport(config: Config['twilio']): SmsTransport {
  return config.accountSid && config.authToken ? createTwilioTransport(config) : createOutboxTransport();
}
