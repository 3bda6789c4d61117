import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { Config } from '../config';

/** Every request the SDK makes to *.twilio.com goes to TWILIO_API_BASE_URL instead (a proxy, a test's fake). */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ timeout: 10_000 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    if (target.hostname.endsWith('twilio.com')) {
      const base = new URL(this.baseUrl);
      target.protocol = base.protocol;
      target.host = base.host;
      target.pathname = base.pathname.replace(/\/$/, '') + target.pathname;
    }
    return super.request<TData>({ ...opts, uri: target.toString() });
  }
}

/** The twilio SDK's client for JobRun's account. The SDK's own retries are off: Temporal retries. */
export function createTwilioClient(config: Config['twilio']): twilio.Twilio {
  return twilio(config.accountSid, config.authToken, { httpClient: new BaseUrlRequestClient(config.apiBaseUrl), autoRetry: false });
}
