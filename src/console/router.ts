// The operator's console at /console: server-rendered pages (Eta templates
// in views/), htmx for the simulator's live phones, one password. Every page
// and action needs a session; every form carries its CSRF token; phone
// numbers and message bodies travel in POST bodies, never in URLs.
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { Eta } from 'eta';
import type { Client } from '@temporalio/client';
import { listClients, setPaused } from '../admin/clients';
import { listJobs } from '../admin/jobs';
import { addNumberAtTwilio, listNumbers, releaseNumber } from '../admin/numbers';
import { Refusal } from '../admin/refusal';
import type { Config } from '../config';
import type { Db } from '../db';
import { E164 } from '../identifiers';
import type { Logger } from '../logger';
import { health } from '../routes/health';
import { customerSearch } from '../temporal/customer-hash';
import { createTwilioClient } from '../twilio/client';
import { createNumberWebhooks, wantedWebhooks } from '../twilio/number-webhooks';
import { jobExchange, simulatorPhones, ukTime } from './exchange';
import { todayFigures } from './figures';
import { loadRunbookAdvice } from './runbook';
import { createSessions, type ConsoleSession } from './session';
import { createDemoClient, simulateCall, simulateText } from './simulator';
import { ROOT } from '../paths';

interface ConsoleDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
}

const FLASH: Record<string, string> = {
  paused: 'Paused: customers who text are asked to ring the tradesperson.',
  resumed: 'Resumed: JobRun answers their customers again.',
  'number-added': 'Number added to the pool.',
  'number-unchanged': 'That number was already in the pool as asked.',
  'number-released': 'Number released: it is FREE, and answered by the fail-safe until assigned.',
};
const URGENCIES = ['EMERGENCY', 'URGENT', 'ROUTINE'] as const;
const PROGRESS = ['NEW', 'TAKEN', 'TAKEN_OVER', 'DONE'] as const;
const pick = <T extends string>(options: readonly T[], value: unknown): T | undefined => (options as readonly unknown[]).includes(value) ? (value as T) : undefined;

/** Null without CONSOLE_PASSWORD: there is no console, and /console is a 404. */
export function consoleRouter(deps: ConsoleDeps): Router | null {
  const { config, db, logger } = deps;
  const password = config.console.password;
  if (!password) return null;
  const sessions = createSessions(password, { secure: config.publicBaseUrl.startsWith('https:') });
  const eta = new Eta({ views: path.join(ROOT, 'src', 'console', 'views'), cache: true });
  const advice = loadRunbookAdvice();
  const webhooks = config.twilio.accountSid ? createNumberWebhooks(createTwilioClient(config.twilio), wantedWebhooks(config.publicBaseUrl, config.fallbackBaseUrl)) : null;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  const render = (res: Response, view: string, data: Record<string, unknown>, status = 200) => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(eta.render(view, data));
  };
  const page = (req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200) => {
    const session = res.locals.session as ConsoleSession;
    const code = req.query.flash;
    const flash = typeof code === 'string' && Object.hasOwn(FLASH, code) ? { kind: 'ok', text: FLASH[code] } : undefined;
    render(res, view, { signedIn: true, csrf: session.csrf, page: view === 'job' ? 'jobs' : view, flash, ...data }, status);
  };

  router.use('/console/static', express.static(path.join(ROOT, 'src', 'console', 'static'), { maxAge: '1h', index: false }));
  router.get('/console/static/htmx.min.js', (_req, res) => res.sendFile(require.resolve('htmx.org/dist/htmx.min.js'), { maxAge: '1h' }));

  const signIn = (req: Request, res: Response, status = 200, error?: string) =>
    render(res, 'sign-in', { title: 'Sign in', formToken: sessions.preSessionToken(req, res), flash: error ? { kind: 'error', text: error } : undefined }, status);

  router.get('/console/sign-in', (req, res) => (sessions.current(req) ? res.redirect(303, '/console') : signIn(req, res)));
  // Failed sign-ins are counted by the connection's address (an X-Forwarded-For header is the
  // client's to write, so it is no key) and, whatever the address, across this process.
  const limited = (limit: number, key: (req: Request) => string) =>
    rateLimit({
      windowMs: 15 * 60_000,
      limit,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: key,
      handler: (req, res) => signIn(req, res, 429, 'Too many sign-in attempts. Try again in 15 minutes.'),
    });
  router.post(
    '/console/sign-in',
    limited(10, (req) => req.socket.remoteAddress ?? 'unknown'),
    limited(50, () => 'everyone'),
    form,
    (req, res) => {
      const body = req.body as Record<string, unknown>;
      if (!sessions.preSessionTokenValid(req, body.csrf)) return signIn(req, res, 403, 'The form had expired. Please sign in again.');
      if (typeof body.password !== 'string' || !sessions.passwordMatches(body.password)) {
        logger.warn({ event: 'console.sign_in_refused' }, 'console sign-in refused: wrong password');
        return signIn(req, res, 401, 'Wrong password.');
      }
      logger.info({ event: 'console.signed_in' }, 'console sign-in');
      sessions.signIn(res);
      res.redirect(303, '/console');
    },
  );

  // Everything below needs a session; every POST its CSRF token.
  router.use('/console', form, (req: Request, res: Response, next: NextFunction) => {
    const session = sessions.current(req);
    if (!session) {
      if (req.method === 'GET') return res.redirect(303, '/console/sign-in');
      return res.status(401).type('text/plain').send('sign in first\n');
    }
    if (req.method === 'POST') {
      const token = (req.body as Record<string, unknown> | undefined)?.csrf ?? req.header('x-csrf-token');
      if (!sessions.csrfValid(session, token)) return res.status(403).type('text/plain').send('invalid or missing CSRF token\n');
    }
    res.locals.session = session;
    next();
  });

  router.post('/console/sign-out', (_req, res) => {
    sessions.signOut(res);
    res.redirect(303, '/console/sign-in');
  });

  router.get('/console', async (req, res) => {
    // A database that is down is what the health says; the figures are then simply not there.
    const [report, today] = await Promise.all([health(deps), todayFigures(db).catch(() => null)]);
    page(req, res, 'overview', { title: 'Overview', health: report, today });
  });

  router.get('/console/jobs', async (req, res) => {
    const filter = {
      client: typeof req.query.client === 'string' && req.query.client ? req.query.client : undefined,
      urgency: pick(URGENCIES, req.query.urgency),
      status: pick(PROGRESS, req.query.status),
    };
    const clients = await listClients(db);
    const known = filter.client === undefined || clients.some((c) => c.id === filter.client);
    const jobs = known ? await listJobs(db, { client: filter.client, urgency: filter.urgency, progress: filter.status, limit: 200 }) : [];
    page(req, res, 'jobs', { title: 'Jobs', filter, clients, jobs: jobs.map((j) => ({ ...j, createdAt: ukTime(j.createdAt) })) });
  });

  router.get('/console/jobs/:id', async (req, res) => {
    const found = await jobExchange(db, String(req.params.id));
    if (!found) return page(req, res, 'message', { title: 'No such job', text: 'There is no job with that id: it may have been erased.' }, 404);
    // Every workflow of the customer's: each text's and call's, the conversation, the escalation chain.
    const query = customerSearch(config.searchHashKey, found.job.customerPhone);
    const temporalLink = `${config.console.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows?query=${encodeURIComponent(query)}`;
    page(req, res, 'job', { title: found.job.reference, ...found, temporalLink });
  });

  const clientsPage = async (req: Request, res: Response, status = 200, error?: string) => {
    const [clients, numbers] = await Promise.all([listClients(db), listNumbers(db)]);
    const names = new Map(clients.map((c) => [c.id, c.businessName]));
    page(req, res, 'clients', {
      title: 'Clients and numbers',
      clients,
      numbers: numbers.map((n) => ({ ...n, clientName: n.clientId ? names.get(n.clientId) : null })),
      ...(error ? { flash: { kind: 'error', text: error } } : {}),
    }, status);
  };
  /** A refusal is shown beside the form (its message may name a number, which a redirect's URL must not carry). */
  const orRefusal = (work: (req: Request) => Promise<string>) => async (req: Request, res: Response) => {
    try {
      res.redirect(303, `/console/clients?flash=${await work(req)}`);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      await clientsPage(req, res, 409, err.message);
    }
  };
  const numberIn = (req: Request) => {
    const parsed = E164.safeParse(String((req.body as Record<string, unknown>).number ?? '').trim());
    if (!parsed.success) throw new Refusal('A number is written in E.164, such as +447700900123.');
    return parsed.data;
  };

  router.get('/console/clients', (req, res) => clientsPage(req, res));
  router.post('/console/clients/:id/pause', orRefusal(async (req) => (await setPaused(db, String(req.params.id), true), 'paused')));
  router.post('/console/clients/:id/resume', orRefusal(async (req) => (await setPaused(db, String(req.params.id), false), 'resumed')));
  router.post(
    '/console/numbers',
    orRefusal(async (req) => {
      const added = await addNumberAtTwilio(db, webhooks, numberIn(req), { onboarding: (req.body as Record<string, unknown>).onboarding === 'yes' });
      return added.outcome === 'unchanged' ? 'number-unchanged' : 'number-added';
    }),
  );
  router.post('/console/numbers/release', orRefusal(async (req) => (await releaseNumber(db, numberIn(req)), 'number-released')));

  router.get('/console/alerts', async (req, res) => {
    const rows = await db.operatorAlert.findMany({ orderBy: { updatedAt: 'desc' }, take: 200 });
    const alerts = rows.map((a) => ({ ...a, at: ukTime(a.updatedAt), advice: advice.get(a.kind) ?? 'See docs/runbook.md.' }));
    page(req, res, 'alerts', { title: 'Alerts', alerts });
  });

  router.get('/console/simulator', async (req, res) => {
    const [numbers, clients] = await Promise.all([listNumbers(db), listClients(db)]);
    const names = new Map(clients.map((c) => [c.id, c.businessName]));
    const label = (n: (typeof numbers)[number]) => (n.clientId ? (names.get(n.clientId) ?? 'a client') : n.role === 'ONBOARDING' ? 'sign-up number' : 'no client (fail-safe)');
    const ordered = [...numbers].sort((a, b) => Number(b.role === 'ASSIGNED') - Number(a.role === 'ASSIGNED'));
    page(req, res, 'simulator', {
      title: 'Phone simulator',
      numbers: ordered.map((n) => ({ phoneNumber: n.phoneNumber, label: label(n) })),
      // In the outbox nothing is sent, so a made-up mobile will do (missed calls are texted back to mobiles only); live, it is the operator's own.
      from: config.twilio.accountSid ? '' : `+447911${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`,
      live: Boolean(config.twilio.accountSid),
    });
  });

  router.post('/console/simulator/demo', async (req, res) => {
    // Drama-range numbers are nobody's: with Twilio live they could not send.
    if (config.twilio.accountSid) return page(req, res, 'message', { title: 'No demo client', text: 'A demo client is for the local outbox; with Twilio live, add your own numbers.' }, 409);
    await createDemoClient(db);
    res.redirect(303, '/console/simulator');
  });

  const phones = (req: Request) => {
    const body = req.body as Record<string, unknown>;
    const number = E164.safeParse(String(body.number ?? '').trim());
    const from = E164.safeParse(String(body.from ?? '').trim());
    if (!number.success) return { error: 'Choose a JobRun number.' };
    if (!from.success) return { error: 'Your phone number is written in E.164, such as +447911123456.' };
    return { number: number.data, from: from.data, message: String(body.message ?? '') };
  };
  /** Who the simulator may play, checked before it sends anything (the feed only reads). */
  const simulatorInput = async (req: Request) => {
    const input = phones(req);
    if ('error' in input) return input;
    if (await db.twilioNumberPool.findUnique({ where: { phoneNumber: input.from } })) return { error: "That is one of JobRun's own numbers; give a customer's." };
    // With Twilio live, the simulator is a customer only: a tradesperson's phone sends commands in their name.
    if (config.twilio.accountSid && (await db.client.count({ where: { OR: [{ phoneNumber: input.from }, { backupPhone: input.from }] } })) > 0) {
      return { error: "That is a tradesperson's phone; with Twilio live the simulator only plays a customer." };
    }
    return input;
  };
  const fragment = (res: Response, text: string, status = 200) => res.status(status).type('text/plain').send(text);

  router.post('/console/simulator/text', async (req, res) => {
    const input = await simulatorInput(req);
    if ('error' in input) return fragment(res, input.error!, 400);
    const message = input.message.trim();
    if (!message) return fragment(res, 'Write a message first.', 400);
    if (message.length > 1600) return fragment(res, 'A text is at most 1,600 characters.', 400);
    const status = await simulateText(config, req, { from: input.from, to: input.number, body: message });
    fragment(res, status === 200 ? 'Sent.' : `JobRun answered ${status}.`, status === 200 ? 200 : 502);
  });

  router.post('/console/simulator/call', async (req, res) => {
    const input = await simulatorInput(req);
    if ('error' in input) return fragment(res, input.error!, 400);
    const status = await simulateCall(config, req, { from: input.from, to: input.number });
    fragment(res, status === 200 ? 'Rang and hung up.' : `JobRun answered ${status}.`, status === 200 ? 200 : 502);
  });

  router.post('/console/simulator/feed', async (req, res) => {
    const input = phones(req);
    if ('error' in input) return fragment(res, input.error!, 400);
    res.type('html').set('Cache-Control', 'no-store').send(eta.render('feed', await simulatorPhones(db, input.number, input.from)));
  });

  return router;
}
