// Where a Twilio number sends its texts and calls: JobRun's webhooks under
// PUBLIC_BASE_URL (and FALLBACK_BASE_URL's, when set), set on the number in
// the account by `jobrun numbers add` and compared by `jobrun numbers check`,
// so that nobody types them into Twilio's console and nothing drifts unseen.
import type twilio from 'twilio';
import { Refusal } from '../admin/refusal';

type Wanted = Record<'smsUrl' | 'smsMethod' | 'voiceUrl' | 'voiceMethod' | 'statusCallback' | 'statusCallbackMethod', string> &
  Partial<Record<'smsFallbackUrl' | 'smsFallbackMethod' | 'voiceFallbackUrl' | 'voiceFallbackMethod', string>>;

export function wantedWebhooks(publicBaseUrl: string, fallbackBaseUrl?: string): Wanted {
  return {
    smsUrl: `${publicBaseUrl}/sms`,
    smsMethod: 'POST',
    voiceUrl: `${publicBaseUrl}/voice`,
    voiceMethod: 'POST',
    statusCallback: `${publicBaseUrl}/api/twilio/status`,
    statusCallbackMethod: 'POST',
    ...(fallbackBaseUrl
      ? { smsFallbackUrl: `${fallbackBaseUrl}/sms`, smsFallbackMethod: 'POST', voiceFallbackUrl: `${fallbackBaseUrl}/voice`, voiceFallbackMethod: 'POST' }
      : {}),
  };
}

export interface NumberDrift {
  phoneNumber: string;
  /** Each setting that differs, as `name: has → wants`; or that the account has no such number. */
  problems: string[];
}

export function createNumberWebhooks(client: twilio.Twilio, wanted: Wanted) {
  /** Twilio's refusals (a bad token, its outage) as one line for the operator. */
  async function asking<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = err as { message?: string; code?: number; status?: number };
      throw new Refusal(`Twilio refused ${what} (${e.status ?? '?'}${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(err)}); nothing more was changed`);
    }
  }
  async function find(phoneNumber: string) {
    const [number] = await asking(`to list ${phoneNumber}`, () => client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }));
    return number ?? null;
  }
  const differences = (number: Record<string, unknown>) =>
    Object.entries(wanted)
      .filter(([name, value]) => String(number[name] ?? '').toUpperCase() !== value.toUpperCase())
      .map(([name, value]) => `${name}: ${JSON.stringify(number[name] ?? null)} → ${JSON.stringify(value)}`);

  return {
    /** Points the number at JobRun; refused, and nothing changed, when the account has no such number. */
    async configure(phoneNumber: string): Promise<{ changed: string[] }> {
      const number = await find(phoneNumber);
      if (!number) throw new Refusal(`${phoneNumber} is not a number of Twilio account ${client.accountSid}; buy it or port it in first; nothing was changed`);
      const changed = differences(number as unknown as Record<string, unknown>);
      if (changed.length > 0) await asking(`to update ${phoneNumber}`, () => client.incomingPhoneNumbers(number.sid).update(wanted));
      return { changed };
    },

    /** The numbers whose webhooks at Twilio are not JobRun's. */
    async drift(phoneNumbers: string[]): Promise<NumberDrift[]> {
      const drifted: NumberDrift[] = [];
      for (const phoneNumber of phoneNumbers) {
        const number = await find(phoneNumber);
        const problems = number ? differences(number as unknown as Record<string, unknown>) : [`not a number of Twilio account ${client.accountSid}`];
        if (problems.length > 0) drifted.push({ phoneNumber, problems });
      }
      return drifted;
    },
  };
}

export type NumberWebhooks = ReturnType<typeof createNumberWebhooks>;
