// How a call leaves JobRun: through Twilio's Calls API (every request sent to
// TWILIO_API_BASE_URL), or, without credentials, into the local outbox, as
// texts do (sms-transport.ts).
import type { Config } from '../config';
import { createTwilioClient } from './client';
import { toSendError } from './sms-transport';

export interface OutgoingCall {
  to: string;
  /** The JobRun number: the tradesperson sees the call come from their own JobRun number. */
  from: string;
  /** Where Twilio fetches what the call says. */
  url: string;
  statusCallback: string;
  /** Seconds it rings before Twilio gives up (no-answer). */
  ringSeconds: number;
}

export interface CallTransport {
  readonly simulated: boolean;
  place(call: OutgoingCall): Promise<{ sid: string }>;
  /**
   * The SID of a call from this number to that one that Twilio already holds,
   * created since `since` and not in `excludeSids`: how a retried placement
   * finds out that its first attempt reached Twilio.
   */
  findPlaced(call: OutgoingCall, since: Date, excludeSids: ReadonlySet<string>): Promise<string | null>;
}

function createTwilioCalls(config: Config['twilio']): CallTransport {
  const client = createTwilioClient(config);
  return {
    simulated: false,
    async place(call) {
      try {
        const placed = await client.calls.create({
          to: call.to,
          from: call.from,
          url: call.url,
          method: 'POST',
          statusCallback: call.statusCallback,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: ['completed'],
          timeout: call.ringSeconds,
        });
        return { sid: placed.sid };
      } catch (err) {
        throw toSendError(err);
      }
    },
    async findPlaced(call, since, excludeSids) {
      try {
        const recent = await client.calls.list({ to: call.to, from: call.from, limit: 50 });
        // Only calls placed through the API: a forwarded call's leg runs between the same two numbers.
        const match = recent.find((c) => c.direction === 'outbound-api' && !excludeSids.has(c.sid) && (!c.dateCreated || c.dateCreated >= since));
        return match?.sid ?? null;
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
}

/** Without Twilio credentials the call ledger keeps the call, marked SIMULATED: nothing rings. */
function createOutboxCalls(): CallTransport {
  let counter = 0;
  return {
    simulated: true,
    async place() {
      counter += 1;
      return { sid: `CAoutbox${Date.now().toString(16)}${counter.toString(16).padStart(8, '0')}` };
    },
    async findPlaced() {
      return null;
    },
  };
}

export function createCallTransport(config: Config['twilio']): CallTransport {
  return config.accountSid && config.authToken ? createTwilioCalls(config) : createOutboxCalls();
}
