// The phone simulator's texts and calls, sent the way Twilio sends them: a
// form POST to JobRun's own webhook, signed with the account's auth token
// over the public URL, so the console sees exactly what a real phone would.
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import twilio from 'twilio';
import { addClient, listClients } from '../admin/clients';
import { addNumber, listNumbers } from '../admin/numbers';
import type { Config } from '../config';
import type { Db } from '../db';

const sid = (prefix: 'SM' | 'CA') => `${prefix}${randomBytes(16).toString('hex')}`;

async function postWebhook(config: Config, req: Request, route: string, params: Record<string, string>): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (config.twilio.authToken) headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(config.twilio.authToken, `${config.publicBaseUrl}${route}`, params);
  // This very process, on the port the console was reached on: PUBLIC_BASE_URL may be a tunnel or a proxy.
  const res = await fetch(`http://127.0.0.1:${req.socket.localPort}${route}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  await res.arrayBuffer();
  return res.status;
}

/** A text from `from` to a JobRun number, through POST /sms. */
export function simulateText(config: Config, req: Request, text: { from: string; to: string; body: string }): Promise<number> {
  return postWebhook(config, req, '/sms', { MessageSid: sid('SM'), AccountSid: config.twilio.accountSid ?? 'ACsimulator', From: text.from, To: text.to, Body: text.body, NumMedia: '0' });
}

/** A call that rings a JobRun number and hangs up unanswered: Twilio's status callback for it, through POST /api/twilio/status. */
export function simulateCall(config: Config, req: Request, call: { from: string; to: string }): Promise<number> {
  return postWebhook(config, req, '/api/twilio/status', {
    CallSid: sid('CA'),
    AccountSid: config.twilio.accountSid ?? 'ACsimulator',
    From: call.from,
    To: call.to,
    CallStatus: 'no-answer',
    CallDuration: '0',
    Direction: 'inbound',
  });
}

/** Ofcom's numbers for drama (+44 7700 900000 to 900999): no real phone has them. */
const dramaNumber = (n: number) => `+447700900${String(n).padStart(3, '0')}`;

/**
 * A client to try the simulator on, for a fresh `npm start` with an empty
 * pool: a drama-range number, through the same code as `jobrun numbers add`
 * and `jobrun clients add`. Idempotent: a second click finds it.
 */
export async function createDemoClient(db: Db): Promise<void> {
  if ((await listClients(db)).some((c) => c.businessName === 'Demo Plumbing')) return;
  const taken = new Set((await listNumbers(db)).map((n) => n.phoneNumber));
  let free = 1;
  while (taken.has(dramaNumber(free))) free += 1;
  await addNumber(db, dramaNumber(free));
  await addClient(db, { businessName: 'Demo Plumbing', ownerPhone: dramaNumber(999), trade: 'plumbing', number: dramaNumber(free) });
}
