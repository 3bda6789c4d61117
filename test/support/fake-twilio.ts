// Twilio's REST API at the wire, as the real twilio SDK speaks it: Messages
// create and list, Calls create and list, over an account log that holds JobRun's own
// texts and what reached the account's numbers (inbound texts and calls),
// with Twilio's list filters and paging, and faults the tests switch on.
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

interface LoggedMessage extends StoredMessage {
  direction: 'inbound' | 'outbound-api';
}

export interface LoggedCall {
  sid: string;
  parentCallSid: string | null;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound-dial' | 'outbound-api';
  status: string;
  duration: number;
  startTime: Date;
}

/** A call JobRun asked Twilio to place, with where Twilio would fetch its TwiML and post its status. */
export interface PlacedCall extends LoggedCall {
  url: string;
  method: string;
  statusCallback: string | null;
  timeout: number | null;
}

/** A number the account owns, with its webhook settings as Twilio keeps them. */
export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  settings: Record<string, string | null>;
}

/** IncomingPhoneNumbers' settings JobRun touches: the form's name, the resource's. */
const NUMBER_SETTINGS = {
  SmsUrl: 'sms_url',
  SmsMethod: 'sms_method',
  VoiceUrl: 'voice_url',
  VoiceMethod: 'voice_method',
  StatusCallback: 'status_callback',
  StatusCallbackMethod: 'status_callback_method',
  SmsFallbackUrl: 'sms_fallback_url',
  SmsFallbackMethod: 'sms_fallback_method',
  VoiceFallbackUrl: 'voice_fallback_url',
  VoiceFallbackMethod: 'voice_fallback_method',
} as const;

interface SendFault {
  status: number;
  code: number;
  /** Store the message first, then fail: Twilio has it, the caller never hears. */
  afterStore?: boolean;
  /** Fail only sends to this number, so a late send to someone else (a tradesperson alert) cannot use the fault up. */
  to?: string;
}

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export class FakeTwilio {
  /** The texts JobRun sent, in order. */
  readonly messages: StoredMessage[] = [];
  /** Texts that reached the account's numbers. */
  readonly inbound: LoggedMessage[] = [];
  readonly calls: LoggedCall[] = [];
  /** The calls JobRun placed (Calls create), in order. */
  readonly placed: PlacedCall[] = [];
  readonly faults: SendFault[] = [];
  /** Faults for Calls create, as `faults` are for Messages. */
  readonly callFaults: SendFault[] = [];
  /** The account's own numbers (IncomingPhoneNumbers). */
  readonly owned = new Map<string, OwnedNumber>();
  /** Every IncomingPhoneNumbers update, in order. */
  readonly numberUpdates: Array<{ phoneNumber: string; form: Record<string, string> }> = [];
  /** Every create request seen, including failed ones. */
  createRequests = 0;
  /** The recipient of every create request, in order, including failed ones. */
  readonly createAttempts: string[] = [];
  listRequests = 0;
  /** List requests (Messages and Calls) are answered with this status while set: a Twilio incident, or a bad token (401). */
  listFault: { status: number; code: number } | null = null;
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

  /** A number the account owns, as bought: Twilio's demo URLs on it, or the settings given. */
  ownNumber(phoneNumber: string, settings: Partial<Record<keyof typeof NUMBER_SETTINGS, string>> = {}): OwnedNumber {
    const initial = Object.fromEntries(Object.values(NUMBER_SETTINGS).map((k) => [k, null])) as Record<string, string | null>;
    initial.voice_url = 'https://demo.twilio.com/welcome/voice/';
    initial.sms_url = 'https://demo.twilio.com/welcome/sms/reply';
    for (const [form, value] of Object.entries(settings)) initial[NUMBER_SETTINGS[form as keyof typeof NUMBER_SETTINGS]] = value;
    const number = { sid: sid('PN'), phoneNumber, settings: initial };
    this.owned.set(phoneNumber, number);
    return number;
  }

  /** A text reaching one of the account's numbers, as Twilio logs it before calling the webhook. */
  receiveText(text: { from: string; to: string; body: string; at?: Date }): StoredMessage {
    const msg: LoggedMessage = { sid: sid('SM'), from: text.from, to: text.to, body: text.body, dateCreated: text.at ?? new Date(), direction: 'inbound' };
    this.inbound.push(msg);
    return msg;
  }

  /**
   * A call to one of the account's numbers, over, as Twilio logs it: the
   * inbound leg, and the leg it dialled to the tradesperson when it was forwarded.
   */
  receiveCall(call: { from: string; to: string; status: string; duration?: number; at?: Date; dialled?: { to: string; status: string; duration: number } }): LoggedCall {
    const parent: LoggedCall = {
      sid: sid('CA'),
      parentCallSid: null,
      from: call.from,
      to: call.to,
      direction: 'inbound',
      status: call.status,
      duration: call.duration ?? 0,
      startTime: call.at ?? new Date(),
    };
    this.calls.push(parent);
    if (call.dialled) {
      this.calls.push({ sid: sid('CA'), parentCallSid: parent.sid, from: call.to, to: call.dialled.to, direction: 'outbound-dial', status: call.dialled.status, duration: call.dialled.duration, startTime: new Date(parent.startTime.getTime() + 1000) });
    }
    return parent;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const numbers = /^\/2010-04-01\/Accounts\/(AC\w+)\/IncomingPhoneNumbers(?:\/(PN\w+))?\.json$/.exec(url.pathname);
    if (numbers) {
      if (!req.headers.authorization?.startsWith('Basic ')) return sendJson(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      if (req.method === 'GET' && !numbers[2]) return this.listNumbers(numbers[1]!, url, res);
      if (req.method === 'POST' && numbers[2]) return this.updateNumber(numbers[1]!, numbers[2], await readBody(req), res);
      return sendJson(res, 405, { code: 20004, message: 'Method not allowed', status: 405 });
    }
    const match = /^\/2010-04-01\/Accounts\/(AC\w+)\/(Messages|Calls)\.json$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { code: 20404, message: `no route ${req.method} ${url.pathname}`, status: 404 });
    const [, accountSid, resource] = match as unknown as [string, string, 'Messages' | 'Calls'];
    if (!req.headers.authorization?.startsWith('Basic ')) return sendJson(res, 401, { code: 20003, message: 'Authenticate', status: 401 });

    if (req.method === 'POST' && resource === 'Messages') return this.create(accountSid, await readBody(req), res);
    if (req.method === 'POST' && resource === 'Calls') return this.placeCall(accountSid, await readBody(req), res);
    if (req.method === 'GET') {
      this.listRequests += 1;
      if (this.listFault) return sendJson(res, this.listFault.status, { code: this.listFault.code, message: `fake list fault ${this.listFault.code}`, status: this.listFault.status });
      return resource === 'Messages' ? this.listMessages(accountSid, url, res) : this.listCalls(accountSid, url, res);
    }
    return sendJson(res, 405, { code: 20004, message: 'Method not allowed', status: 405 });
  }

  private create(accountSid: string, body: string, res: http.ServerResponse) {
    this.createRequests += 1;
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    this.createAttempts.push(to);
    const index = this.faults.findIndex((f) => f.to === undefined || f.to === to);
    const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
    if (fault && !fault.afterStore) return sendJson(res, fault.status, { code: fault.code, message: `fake fault ${fault.code}`, status: fault.status });
    const msg: StoredMessage = {
      sid: sid('SM'),
      to,
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
      dateCreated: new Date(),
    };
    this.messages.push(msg);
    if (fault) return sendJson(res, fault.status, { code: fault.code, message: `fake fault ${fault.code} after storing`, status: fault.status });
    return sendJson(res, 201, this.messageResource(accountSid, { ...msg, direction: 'outbound-api' }));
  }

  /** Twilio requires To, From and one of Url or Twiml (21205 without a Url here: JobRun always gives one). */
  private placeCall(accountSid: string, body: string, res: http.ServerResponse) {
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    const index = this.callFaults.findIndex((f) => f.to === undefined || f.to === to);
    const fault = index >= 0 ? this.callFaults.splice(index, 1)[0] : undefined;
    if (fault && !fault.afterStore) return sendJson(res, fault.status, { code: fault.code, message: `fake fault ${fault.code}`, status: fault.status });
    if (!to || !form.get('From')) return sendJson(res, 400, { code: 21201, message: 'No called number is specified', status: 400 });
    if (!form.get('Url')) return sendJson(res, 400, { code: 21205, message: 'Url parameter is required', status: 400 });
    const call: PlacedCall = {
      sid: sid('CA'),
      parentCallSid: null,
      from: form.get('From')!,
      to,
      direction: 'outbound-api',
      status: 'queued',
      duration: 0,
      startTime: new Date(),
      url: form.get('Url')!,
      method: form.get('Method') ?? 'POST',
      statusCallback: form.get('StatusCallback'),
      timeout: form.get('Timeout') ? Number(form.get('Timeout')) : null,
    };
    this.placed.push(call);
    this.calls.push(call);
    if (fault) return sendJson(res, fault.status, { code: fault.code, message: `fake fault ${fault.code} after placing`, status: fault.status });
    return sendJson(res, 201, this.callResource(accountSid, call));
  }

  private numberResource(accountSid: string, n: OwnedNumber) {
    return { sid: n.sid, account_sid: accountSid, phone_number: n.phoneNumber, friendly_name: n.phoneNumber, ...n.settings, uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}.json` };
  }

  /** Twilio's PhoneNumber filter matches the E.164 number exactly. */
  private listNumbers(accountSid: string, url: URL, res: http.ServerResponse) {
    const wanted = url.searchParams.get('PhoneNumber');
    const found = [...this.owned.values()].filter((n) => !wanted || n.phoneNumber === wanted);
    return sendJson(res, 200, page(accountSid, 'IncomingPhoneNumbers', 'incoming_phone_numbers', url, found.map((n) => this.numberResource(accountSid, n))));
  }

  private updateNumber(accountSid: string, numberSid: string, body: string, res: http.ServerResponse) {
    const number = [...this.owned.values()].find((n) => n.sid === numberSid);
    if (!number) return sendJson(res, 404, { code: 20404, message: `The requested resource /IncomingPhoneNumbers/${numberSid}.json was not found`, status: 404 });
    const form = Object.fromEntries(new URLSearchParams(body));
    for (const [name, value] of Object.entries(form)) {
      const key = NUMBER_SETTINGS[name as keyof typeof NUMBER_SETTINGS];
      if (key) number.settings[key] = value;
    }
    this.numberUpdates.push({ phoneNumber: number.phoneNumber, form });
    return sendJson(res, 200, this.numberResource(accountSid, number));
  }

  private listMessages(accountSid: string, url: URL, res: http.ServerResponse) {
    const q = url.searchParams;
    const all: LoggedMessage[] = [...this.inbound, ...this.messages.map((m) => ({ ...m, direction: 'outbound-api' as const }))];
    const found = all
      .filter((m) => (!q.get('To') || m.to === q.get('To')) && (!q.get('From') || m.from === q.get('From')) && onDates(m.dateCreated, q, 'DateSent'))
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    return sendJson(res, 200, page(accountSid, 'Messages', 'messages', url, found.map((m) => this.messageResource(accountSid, m))));
  }

  private listCalls(accountSid: string, url: URL, res: http.ServerResponse) {
    const q = url.searchParams;
    const found = this.calls
      .filter(
        (c) =>
          (!q.get('To') || c.to === q.get('To')) &&
          (!q.get('From') || c.from === q.get('From')) &&
          (!q.get('Status') || c.status === q.get('Status')) &&
          (!q.get('ParentCallSid') || c.parentCallSid === q.get('ParentCallSid')) &&
          onDates(c.startTime, q, 'StartTime'),
      )
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
    return sendJson(res, 200, page(accountSid, 'Calls', 'calls', url, found.map((c) => this.callResource(accountSid, c))));
  }

  private messageResource(accountSid: string, m: LoggedMessage) {
    return {
      sid: m.sid,
      account_sid: accountSid,
      to: m.to,
      from: m.from,
      body: m.body,
      status: m.direction === 'inbound' ? 'received' : 'queued',
      direction: m.direction,
      num_segments: '1',
      date_created: m.dateCreated.toUTCString(),
      date_updated: m.dateCreated.toUTCString(),
      date_sent: m.direction === 'inbound' ? m.dateCreated.toUTCString() : null,
      error_code: null,
      error_message: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
    };
  }

  private callResource(accountSid: string, c: LoggedCall) {
    const end = new Date(c.startTime.getTime() + c.duration * 1000);
    return {
      sid: c.sid,
      account_sid: accountSid,
      parent_call_sid: c.parentCallSid,
      to: c.to,
      from: c.from,
      direction: c.direction,
      status: c.status,
      duration: String(c.duration),
      start_time: c.startTime.toUTCString(),
      end_time: end.toUTCString(),
      date_created: c.startTime.toUTCString(),
      date_updated: end.toUTCString(),
      answered_by: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Calls/${c.sid}.json`,
    };
  }
}

/**
 * Twilio's date filters (`DateSent`, `DateSent>`, `DateSent<`, likewise
 * StartTime) take a date, YYYY-MM-DD in UTC: a full timestamp counts as its
 * day, so a filter can return more than the instant it names.
 */
function onDates(at: Date, q: URLSearchParams, field: string): boolean {
  const day = at.toISOString().slice(0, 10);
  const on = q.get(field)?.slice(0, 10);
  const after = q.get(`${field}>`)?.slice(0, 10);
  const before = q.get(`${field}<`)?.slice(0, 10);
  return (!on || day === on) && (!after || day >= after) && (!before || day <= before);
}

/** Twilio's paging: PageSize (50 by default, at most 1000), Page, and a next_page_uri that carries the filters. */
function page(accountSid: string, resource: string, key: string, url: URL, items: unknown[]) {
  const size = Math.min(Math.max(Number(url.searchParams.get('PageSize') ?? 50) || 50, 1), 1000);
  const number = Number(url.searchParams.get('Page') ?? 0) || 0;
  const slice = items.slice(number * size, (number + 1) * size);
  const uri = `/2010-04-01/Accounts/${accountSid}/${resource}.json`;
  const link = (n: number) => {
    const params = new URLSearchParams(url.searchParams);
    params.set('Page', String(n));
    params.set('PageSize', String(size));
    params.set('PageToken', `PT${n * size}`);
    return `${uri}?${params.toString()}`;
  };
  return {
    [key]: slice,
    end: number * size + Math.max(slice.length - 1, 0),
    first_page_uri: link(0),
    next_page_uri: (number + 1) * size < items.length ? link(number + 1) : null,
    previous_page_uri: number > 0 ? link(number - 1) : null,
    page: number,
    page_size: size,
    start: number * size,
    uri: `${uri}?${url.searchParams.toString()}`,
  };
}
