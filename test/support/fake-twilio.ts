// Twilio's REST API at the wire: Messages.json create and list, as the real
// twilio SDK speaks it, with faults the tests switch on.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { close, listen, readBody, sendJson } from './http';

export interface StoredMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  dateCreated: Date;
}

interface SendFault {
  status: number;
  code: number;
  /** Store the message first, then fail: Twilio has it, the caller never hears. */
  afterStore?: boolean;
  /** Fail only sends to this number, so a late send to someone else (a tradesperson alert) cannot use the fault up. */
  to?: string;
}

export class FakeTwilio {
  readonly messages: StoredMessage[] = [];
  readonly faults: SendFault[] = [];
  /** Every create request seen, including failed ones. */
  createRequests = 0;
  /** The recipient of every create request, in order, including failed ones. */
  readonly createAttempts: string[] = [];
  listRequests = 0;
  private server = http.createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => sendJson(res, 500, { message: String(err) }));
  });
  url = '';

  async start(): Promise<this> {
    this.url = `http://127.0.0.1:${await listen(this.server)}`;
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  /** The next `count` sends fail with this fault. */
  failSends(count: number, fault: SendFault): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  to(phone: string): StoredMessage[] {
    return this.messages.filter((m) => m.to === phone);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { code: 20404, message: `no route ${req.method} ${url.pathname}`, status: 404 });
    const accountSid = match[1]!;
    if (!req.headers.authorization?.startsWith('Basic ')) return sendJson(res, 401, { code: 20003, message: 'Authenticate', status: 401 });

    if (req.method === 'POST') {
      this.createRequests += 1;
      const form = new URLSearchParams(await readBody(req));
      this.createAttempts.push(form.get('To') ?? '');
      const to = form.get('To') ?? '';
      const index = this.faults.findIndex((f) => f.to === undefined || f.to === to);
      const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
      if (fault && !fault.afterStore) return sendJson(res, fault.status, { code: fault.code, message: `fake fault ${fault.code}`, status: fault.status });
      const msg: StoredMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        statusCallback: form.get('StatusCallback') ?? undefined,
        dateCreated: new Date(),
      };
      this.messages.push(msg);
      if (fault) return sendJson(res, fault.status, { code: fault.code, message: `fake fault ${fault.code} after storing`, status: fault.status });
      return sendJson(res, 201, this.resource(accountSid, msg));
    }

    if (req.method === 'GET') {
      this.listRequests += 1;
      const to = url.searchParams.get('To');
      const from = url.searchParams.get('From');
      const found = this.messages
        .filter((m) => (!to || m.to === to) && (!from || m.from === from))
        .reverse()
        .map((m) => this.resource(accountSid, m));
      const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
      return sendJson(res, 200, {
        messages: found,
        end: Math.max(found.length - 1, 0),
        first_page_uri: uri,
        next_page_uri: null,
        page: 0,
        page_size: 50,
        previous_page_uri: null,
        start: 0,
        uri,
      });
    }
    return sendJson(res, 405, { code: 20004, message: 'Method not allowed', status: 405 });
  }

  private resource(accountSid: string, m: StoredMessage) {
    return {
      sid: m.sid,
      account_sid: accountSid,
      to: m.to,
      from: m.from,
      body: m.body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      date_created: m.dateCreated.toUTCString(),
      date_updated: m.dateCreated.toUTCString(),
      date_sent: null,
      error_code: null,
      error_message: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
    };
  }
}
