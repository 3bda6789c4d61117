// The operator's console in a real browser (Debian's chromium driven by
// playwright-core) against the real processes: signing in, every page with
// seeded data, pause and resume, and the phone simulator answered live on
// the page. The screenshots in docs/ are taken here.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../src/app';
import { main as cli } from '../../src/cli/main';
import { customerSearch } from '../../src/temporal/customer-hash';
import { SA } from '../../workflows/shared/search-attributes';
import { loadConfig } from '../../src/config';
import { CHROMIUM_ARGS, ensureChromium } from '../../src/local/chromium';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { SUITE_HASH_KEY, TestSystem, createClientFixture, resetDatabase, sid, testEnv, type ClientFixture } from '../support/system';

const PASSWORD = 'correct horse battery staple';
const METRICS_TOKEN = 'metrics-token-0123456789';

/** Every route the API serves, by walking the app's routers (built here as the API builds it). */
function everyRoute(): Array<{ method: string; path: string }> {
  const config = loadConfig({ TWILIO_SIGNATURE_CHECK: 'off', CONSOLE_PASSWORD: PASSWORD });
  const app = createApp({ config, temporal: {} as never, starts: {} as never, db: {} as never, metrics: {} as never, logger: {} as never, resolveCall: {} as never });
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const found: Array<{ method: string; path: string }> = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) found.push({ method: method.toUpperCase(), path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}
const SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');

describe('the console, in a browser', () => {
  const system = new TestSystem('console');
  let browser: Browser;
  let page: Page;
  let client: ClientFixture;
  const customer = uniqueMobile();
  /** Every URL the browser asked for: none may carry a phone number or a message. */
  const urls: string[] = [];
  const simulated: string[] = [];

  before(async () => {
    await system.start({ env: { CONSOLE_PASSWORD: PASSWORD, METRICS_TOKEN } });
    await resetDatabase(system.db);
    client = await createClientFixture(system.db, { ownerPhone: uniqueMobile(), businessName: 'Ace Plumbing' });
    await system.db.twilioNumberPool.create({ data: { phoneNumber: '+447700900555', role: 'FREE' } });
    // A job, an escalation and its alert to look at.
    const params = { MessageSid: sid(), From: customer, To: client.number, Body: 'I can smell gas in the kitchen, SE1 7PB' };
    assert.equal((await system.post('/sms', params)).status, 200);
    await system.finished(params);
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => urls.push(r.url()));
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await system.stop();
  });

  const url = (p: string) => `${system.baseUrl}${p}`;

  test('nothing is shown before signing in; a wrong password is refused; the right one opens the overview', async () => {
    const direct = await fetch(url('/console/jobs'), { redirect: 'manual' });
    assert.equal(direct.status, 303);
    assert.equal(direct.headers.get('location'), '/console/sign-in');
    assert.doesNotMatch(await direct.text(), /\+44/);

    await page.goto(url('/console'));
    assert.match(page.url(), /\/console\/sign-in$/);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong password.').waitFor();

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'jobrun_console');
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.secure, false, 'Secure only when PUBLIC_BASE_URL is https');
  });

  test("the overview: health said plainly, and today's figures", async () => {
    await page.goto(url('/console'));
    const figures = page.locator('dl.figures');
    assert.equal(await figures.locator('div', { hasText: 'Texts in' }).locator('dd').textContent(), '1');
    assert.equal(await figures.locator('div', { hasText: 'Escalations' }).locator('dd').textContent(), '1');
    assert.equal(await figures.locator('div', { hasText: 'Not yet taken' }).locator('dd').textContent(), '1');
    await page.getByText('enabled: FOUNDER_PHONE').or(page.getByText('enabled: alerts go to FOUNDER_PHONE by SMS')).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-overview.png'), fullPage: true });
  });

  test('jobs, filtered; a job with its whole exchange and a link to its workflows', async () => {
    await page.goto(url('/console/jobs'));
    await page.getByRole('link', { name: 'J1' }).waitFor();
    await page.getByLabel('Urgency').selectOption('ROUTINE');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No jobs match.').waitFor();
    await page.getByLabel('Urgency').selectOption('EMERGENCY');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'J1' }).click();
    await page.getByRole('heading', { name: 'J1 · Ace Plumbing' }).waitFor();
    const exchange = page.locator('ol.exchange');
    await exchange.getByText('I can smell gas in the kitchen, SE1 7PB', { exact: true }).waitFor();
    await exchange.getByText(/0800 111 999/).first().waitFor();
    await exchange.getByText(/^JobRun EMERGENCY J1 for Ace Plumbing/).waitFor();
    assert.match((await page.locator('dl.grid').textContent()) ?? '', /SE1 7PB/);
    const link = await page.getByRole('link', { name: 'in the Temporal Web UI' }).getAttribute('href');
    assert.equal(decodeURIComponent(link ?? ''), `http://localhost:8233/namespaces/default/workflows?query=${customerSearch(SUITE_HASH_KEY, customer)}`);
    await page.screenshot({ path: path.join(SHOTS, 'console-job.png'), fullPage: true });
  });

  test('pause and resume a client, as the CLI does; the pool with its roles', async () => {
    await page.goto(url('/console/clients'));
    await page.getByRole('cell', { name: '+447700900555' }).waitFor();
    await page.getByRole('button', { name: 'Pause Ace Plumbing' }).click();
    await page.getByText('Paused: customers who text are asked to ring the tradesperson.').waitFor();
    assert.equal((await system.db.client.findUniqueOrThrow({ where: { id: client.clientId } })).outboundPaused, true);
    await page.getByRole('button', { name: 'Resume Ace Plumbing' }).click();
    await page.getByText('Resumed').waitFor();
    assert.equal((await system.db.client.findUniqueOrThrow({ where: { id: client.clientId } })).outboundPaused, false);
    // The CLI's rules: a number assigned to a client cannot be re-added as FREE.
    system.twilio.ownNumber(client.number);
    await page.getByLabel('Add a number (E.164)').fill(client.number);
    await page.getByRole('button', { name: 'Add number' }).click();
    await page.getByText(/is already assigned to client/).waitFor();
  });

  test('a form without its CSRF token changes nothing', async () => {
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(url(`/console/clients/${client.clientId}/pause`), { method: 'POST', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=forged' });
    assert.equal(res.status, 403);
    assert.equal((await system.db.client.findUniqueOrThrow({ where: { id: client.clientId } })).outboundPaused, false);
  });

  test('alerts, with the runbook’s advice', async () => {
    await system.db.operatorAlert.create({ data: { sourceKey: 'console-test', kind: 'SMS_UNDELIVERED', subject: client.clientId, detail: 'a text to the tradesperson was not delivered', outcome: 'sent', count: 3 } });
    await page.goto(url('/console/alerts'));
    const row = page.getByRole('row', { name: /SMS_UNDELIVERED/ });
    await row.getByText('phone the tradesperson with the job').waitFor();
    assert.equal(await row.getByRole('cell').nth(2).textContent(), '3');
  });

  test('the simulator: a text answered on the page without a reload, the tradesperson’s phone beside it, and a missed call texted back', async () => {
    await page.goto(url('/console/simulator'));
    const me = uniqueMobile();
    simulated.push(me);
    await page.getByLabel('JobRun number').selectOption(client.number);
    await page.getByLabel('Your phone number').fill(me);
    await page.getByLabel('Message').fill('there is water pouring through my ceiling');
    const loads = urls.filter((u) => u.endsWith('/console/simulator')).length;
    await page.getByRole('button', { name: 'Send' }).click();
    const mine = page.getByRole('region', { name: 'Your phone' });
    await mine.getByText('there is water pouring through my ceiling').waitFor();
    await mine.getByText(/Ace Plumbing's automated assistant/).waitFor({ timeout: 30_000 });
    const theirs = page.getByRole('region', { name: "The tradesperson's phone" });
    await theirs.getByText(new RegExp(`EMERGENCY J2 for Ace Plumbing.*${me.replace('+', '\\+')}`)).waitFor({ timeout: 30_000 });
    assert.equal(urls.filter((u) => u.endsWith('/console/simulator')).length, loads, 'no reload');
    await page.screenshot({ path: path.join(SHOTS, 'console-simulator.png'), fullPage: true });

    const caller = uniqueMobile();
    simulated.push(caller);
    await page.getByLabel('Your phone number').fill(caller);
    await page.getByRole('button', { name: 'Missed call' }).click();
    await mine.getByText(/Sorry we missed your call|missed your call/i).waitFor({ timeout: 30_000 });
    const row = await eventually('the text-back in the ledger', async () => (await system.db.outboundMessage.findFirst({ where: { toNumber: caller } })) ?? undefined);
    assert.equal(row.fromNumber, client.number);
  });

  test('no phone number or message in any URL the console used, or in the API log', async () => {
    const leaks = urls.filter((u) => /%2B44|\+44|\b447\d{9}\b|water|gas/i.test(decodeURIComponent(u)));
    assert.deepEqual(leaks, []);
    assert.equal(system.logCount('api', customer), 0);
    assert.equal(system.logCount('api', 'pouring through my ceiling'), 0);
    for (const phone of simulated) assert.equal(system.logCount('api', phone), 0, 'the simulator\'s phones');
  });

  test('the customer hash in Temporal is keyed, and jobrun customers find gives the search that finds their workflows', async () => {
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: { DATABASE_URL: testEnv('JOBRUN_TEST_DATABASE_URL'), SEARCH_HASH_KEY: SUITE_HASH_KEY } };
    assert.equal(await cli(['customers', 'find', customer, '--json'], io), 0);
    const { query, clients } = JSON.parse(out) as { query: string; clients: Array<{ conversationWorkflowId: string; businessName: string }> };
    assert.match(query, /^JobRunCustomerHash IN \("[0-9a-f]{32}", "[0-9a-f]{16}"\)$/);
    assert.deepEqual(clients.map((c) => c.businessName), ['Ace Plumbing']);
    const ids = await eventually('the workflows found by the search', async () => {
      const found: string[] = [];
      for await (const wf of system.temporal.workflow.list({ query })) found.push(wf.workflowId);
      return found.includes(clients[0]!.conversationWorkflowId) ? found : undefined;
    });
    assert.ok(ids.length >= 2, 'the text and its conversation');
    const attribute = (await system.temporal.workflow.getHandle(clients[0]!.conversationWorkflowId).describe()).typedSearchAttributes.get(SA.customerHash);
    assert.match(attribute ?? '', /^[0-9a-f]{32}$/, 'keyed, not the 16-digit plain hash');
  });

  test('every route, without credentials: Twilio webhooks refuse an unsigned request, the console asks for sign-in, /metrics its token; only /health and the sign-in page answer', async () => {
    const routes = everyRoute();
    assert.ok(routes.length >= 25, `found ${routes.length} routes`);
    const open: string[] = [];
    for (const { method, path: route } of routes) {
      const res = await fetch(url(route.replace(/:id/g, 'c0000000000000000000000x')), { method, redirect: 'manual', ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' } : {}) });
      const name = `${method} ${route}`;
      if (res.status < 300) open.push(name);
      if (route === '/metrics') assert.equal(res.status, 401, name);
      else if (route.startsWith('/console') && !route.startsWith('/console/sign-in') && !route.startsWith('/console/static')) assert.ok(res.status === 303 || res.status === 401, `${name}: ${res.status}`);
      else if (!route.startsWith('/console') && route !== '/health') assert.equal(res.status, 403, `${name} is a Twilio webhook`);
    }
    assert.deepEqual(open.sort(), ['GET /console/sign-in', 'GET /console/static/htmx.min.js', 'GET /health']);
    const metrics = await fetch(url('/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /jobrun_/);
    const page = await fetch(url('/console/sign-in'));
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.doesNotMatch(page.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/, 'http stays http for a local console');
  });

  test('sign-in attempts are rate-limited', async () => {
    const other = await browser.newPage();
    let status = 0;
    for (let i = 0; i < 11 && status !== 429; i++) {
      await other.goto(url('/console/sign-in'));
      await other.getByLabel('Password').fill(`wrong ${i}`);
      const [response] = await Promise.all([other.waitForResponse((r) => r.url().endsWith('/console/sign-in') && r.request().method() === 'POST'), other.getByRole('button', { name: 'Sign in' }).click()]);
      status = response.status();
    }
    assert.equal(status, 429);
    await other.getByText('Too many sign-in attempts').waitFor();
    await other.close();
  });
});

describe('the console in the local outbox (npm start without Twilio credentials)', () => {
  const system = new TestSystem('console-outbox');
  let browser: Browser;
  before(async () => {
    await system.start({ env: { CONSOLE_PASSWORD: PASSWORD, TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined, TWILIO_SIGNATURE_CHECK: 'off' } });
    await resetDatabase(system.db);
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, headless: true });
  });
  after(async () => {
    await browser?.close();
    await system.stop();
  });

  test('on an empty pool the simulator offers a demo client; its text and its missed call are answered from the outbox', async () => {
    const page = await browser.newPage();
    await page.goto(`${system.baseUrl}/console/sign-in`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${system.baseUrl}/console/simulator`);
    await page.getByText('Replies stay in the local outbox.').waitFor();
    await page.getByRole('button', { name: 'Create a demo client' }).click();
    await page.getByLabel('JobRun number').waitFor();
    assert.match((await page.getByLabel('JobRun number').textContent()) ?? '', /\+447700900001 · Demo Plumbing/);
    assert.match(await page.getByLabel('Your phone number').inputValue(), /^\+447911\d{6}$/, 'a made-up mobile, as nothing is sent');
    await page.getByLabel('Message').fill('my kitchen tap drips');
    await page.getByRole('button', { name: 'Send' }).click();
    const mine = page.getByRole('region', { name: 'Your phone' });
    await mine.getByText(/Demo Plumbing's automated assistant/).waitFor({ timeout: 30_000 });
    // Another caller: one already in a conversation is not texted back.
    await page.getByLabel('Your phone number').fill('+447911000123');
    await page.getByRole('button', { name: 'Missed call' }).click();
    await mine.getByText(/Sorry we missed your call to Demo Plumbing/).waitFor({ timeout: 30_000 });
    const statuses = await system.db.outboundMessage.findMany({ select: { status: true } });
    assert.ok(statuses.length >= 2 && statuses.every((s) => s.status === 'SIMULATED'), 'nothing left the machine');
    await page.close();
  });
});

