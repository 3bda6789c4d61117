// The two designs JobRun is measured against, on the same machine and fakes:
// a bare Express handler answering empty TwiML (the ceiling), and the
// synchronous style (store, call the AI and send, inside the request, in one
// database transaction) that JobRun replaced.
import type { Server } from 'node:http';
import express from 'express';
import OpenAI from 'openai';
import twilio from 'twilio';
import type { Db } from '../src/db';
import { EMPTY_TWIML } from '../src/routes/twilio-webhook';

export function listenOn(app: express.Express): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = app.listen(0, () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

export function bareApp(): express.Express {
  const app = express();
  app.post('/sms', express.urlencoded({ extended: false }), (_req, res) => {
    res.type('text/xml').send(EMPTY_TWIML);
  });
  return app;
}

export function synchronousApp(opts: { db: Db; clientId: string; openaiUrl: string; twilioUrl: string }): express.Express {
  const openai = new OpenAI({ apiKey: 'sk-bench', baseURL: opts.openaiUrl, maxRetries: 0 });
  const sms = twilio('AC00000000000000000000000000000000', 'bench-token-0123456789', {
    httpClient: new (class extends twilio.RequestClient {
      override request<T>(o: Parameters<twilio.RequestClient['request']>[0]) {
        const u = new URL(o.uri);
        const base = new URL(opts.twilioUrl);
        u.protocol = base.protocol;
        u.host = base.host;
        return super.request<T>({ ...o, uri: u.toString() } as never);
      }
    })(),
  });
  const app = express();
  app.post('/sms', express.urlencoded({ extended: false }), async (req, res) => {
    const { MessageSid, From, To, Body } = req.body as Record<string, string>;
    try {
      await opts.db.$transaction(
        async (tx) => {
          const customer = await tx.customer.upsert({
            where: { clientId_phone: { clientId: opts.clientId, phone: From! } },
            create: { clientId: opts.clientId, phone: From! },
            update: {},
          });
          const conversation = await tx.conversation.upsert({
            where: { clientId_customerId: { clientId: opts.clientId, customerId: customer.id } },
            create: { clientId: opts.clientId, customerId: customer.id },
            update: {},
          });
          await tx.message.create({ data: { conversationId: conversation.id, direction: 'INBOUND', twilioSid: MessageSid!, fromNumber: From!, toNumber: To!, body: Body ?? '' } });
          const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: Body ?? '' }] });
          const reply = JSON.parse(completion.choices[0]?.message.content ?? '{}') as { reply?: string };
          await sms.messages.create({ to: From!, from: To!, body: reply.reply ?? 'Thanks' });
        },
        { timeout: 30_000 },
      );
      res.type('text/xml').send(EMPTY_TWIML);
    } catch {
      res.status(500).send('error');
    }
  });
  return app;
}
