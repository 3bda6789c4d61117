// The cluster smoke: JobRun deployed as in production (`jobrun setup`, then two
// API processes behind one public URL and two workers) on the Temporal server
// test/cluster/run.ts built and started, driven through Twilio's webhooks with
// Twilio faked at its REST wire. Texts over both APIs with replays to the
// other one, a worker SIGKILLed mid-load and replaced, a missed call: every
// text answered once, nothing lost, nothing doubled, no workflow failed.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '../../src/db';
import { execFileAsync } from '../../src/local/exec';
import type { missedCall } from '../../workflows';
import { FakeTwilio } from '../support/fake-twilio';
import { inPool, tally } from '../support/faults';
import { freePort } from '../support/http';
import { metricValue } from '../support/metrics';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { createClientFixture, finishedWith, jobrunEnv, postWebhook, sealingConverter, spawnJobrun, stopProcess, testEnv, untilHealthy, type ClientFixture } from '../support/system';

const ROOT = path.join(__dirname, '..', '..');
/** Where Twilio is told to send webhooks: a load balancer's address, in front of both APIs. Signatures are over it. */
const PUBLIC_BASE_URL = 'https://jobrun.example.com';
const CUSTOMERS_PER_CLIENT = 20;
/** Every fourth text is delivered a second time, to the other API. */
const REPLAY_EVERY = 4;
const CONCURRENCY = 8;

interface Api {
  name: string;
  url: string;
  process: ChildProcess;
}

type Sms = { MessageSid: string; From: string; To: string; Body: string };

class Cluster {
  readonly twilio = new FakeTwilio();
  readonly apis: Api[] = [];
  readonly workers = new Map<string, ChildProcess>();
  private readonly workerMetrics = new Map<string, string>();
  db!: Db;
  temporal!: Client;
  private baseEnv: NodeJS.ProcessEnv = {};

  async start(): Promise<void> {
    await this.twilio.start();
    this.baseEnv = {
      ...jobrunEnv({
        port: 0,
        publicBaseUrl: PUBLIC_BASE_URL,
        databaseUrl: testEnv('JOBRUN_TEST_DATABASE_URL'),
        temporalAddress: testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS'),
        taskQueue: 'jobrun',
        twilioUrl: this.twilio.url,
      }),
      // A production key ring's shape (<id>:<base64 of 32 bytes>), made for the run.
      PAYLOAD_ENCRYPTION_KEYS: `cluster:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'info',
      // The CLI runs compiled from dist/, as in the image.
      NODE_ENV: 'production',
    };
    this.db = createDb(this.baseEnv.DATABASE_URL!);
    // The test reads workflow results as an operator's client would: with the processes' keys.
    this.temporal = new Client({
      connection: Connection.lazy({ address: this.baseEnv.TEMPORAL_ADDRESS! }),
      dataConverter: sealingConverter(this.baseEnv.PAYLOAD_ENCRYPTION_KEYS!),
    });
  }

  /** `npx jobrun setup`, with the processes' own configuration, as every deploy runs it first. */
  async setup(): Promise<string> {
    const { stdout } = await execFileAsync(process.execPath, [path.join(ROOT, 'bin', 'jobrun.js'), 'setup'], { cwd: ROOT, env: this.baseEnv });
    return stdout;
  }

  /** A worker, with its own /metrics (WORKER_METRICS_PORT) so the test can see what it has handled. */
  async startWorker(name: string): Promise<void> {
    const port = await freePort();
    this.workerMetrics.set(name, `http://127.0.0.1:${port}/metrics`);
    this.workers.set(name, spawnJobrun('worker', { ...this.baseEnv, WORKER_METRICS_PORT: String(port) }, this.logFile(name)));
  }

  /** Texts to clients' numbers this worker has taken in so far. */
  handledBy(name: string): Promise<number> {
    return metricValue(this.workerMetrics.get(name)!, 'jobrun_inbound_sms_total', { role: 'CLIENT' });
  }

  async startApi(name: string): Promise<Api> {
    const port = await freePort();
    const api = { name, url: `http://127.0.0.1:${port}`, process: spawnJobrun('api', { ...this.baseEnv, PORT: String(port) }, this.logFile(name)) };
    this.apis.push(api);
    await untilHealthy(name, api.url, api.process, true);
    return api;
  }

  /** A text reaching a client's number: into the account's log, then its webhook, to the API the balancer picked. */
  text(from: string, to: string, body: string): Sms {
    return { MessageSid: this.twilio.receiveText({ from, to, body }).sid, From: from, To: to, Body: body };
  }

  /** Delivers a webhook to one API, signed for the public URL; its TwiML. */
  async deliver(api: Api, route: string, params: Record<string, string>): Promise<string> {
    const res = await postWebhook(api.url, route, params, 'valid', PUBLIC_BASE_URL);
    const body = await res.text();
    assert.equal(res.status, 200, `${api.name} ${route} ${JSON.stringify(params)}: ${body}`);
    return body;
  }

  /** SIGKILL: no drain, no goodbye to Temporal, as a crashed host would go. */
  async kill(name: string): Promise<NodeJS.Signals | null> {
    const worker = this.workers.get(name)!;
    const gone = new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));
    worker.kill('SIGKILL');
    return gone;
  }

  replies(to: string): number {
    return this.twilio.to(to).length;
  }

  private logFile(name: string): string {
    return path.join(testEnv('JOBRUN_TEST_LOG_DIR'), `${name}.log`);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis.map((a) => stopProcess(a.process, 'SIGTERM')), ...[...this.workers.values()].map((w) => stopProcess(w, 'SIGTERM'))]);
    await Promise.allSettled([this.twilio.stop(), this.db?.$disconnect(), this.temporal?.connection.close()]);
  }
}

/** One round of texts, one per customer, each to an API in turn and every REPLAY_EVERY-th replayed to the other a few deliveries later. */
function deliveries(texts: Sms[], round: number): Array<{ sms: Sms; api: number }> {
  const schedule = texts.map((sms, i) => ({ sms, api: (i + round) % 2, at: i }));
  texts.forEach((sms, i) => {
    if (i % REPLAY_EVERY === 0) schedule.push({ sms, api: (i + round + 1) % 2, at: i + 1 + (i % 5) + 0.5 });
  });
  return schedule.sort((a, b) => a.at - b.at);
}

describe('cluster: two APIs and two workers on a Temporal server over Postgres', () => {
  const cluster = new Cluster();
  let clients: ClientFixture[] = [];

  before(async () => {
    const t0 = Date.now();
    await cluster.start();
    const setup = await cluster.setup();
    assert.match(setup, /search attributes registered in namespace default/);
    await cluster.startWorker('worker-1');
    await cluster.startWorker('worker-2');
    await cluster.startApi('api-1');
    await cluster.startApi('api-2');
    clients = [
      await createClientFixture(cluster.db, { businessName: 'North Plumbing', ownerPhone: '+447700900101' }),
      await createClientFixture(cluster.db, { businessName: 'South Heating', ownerPhone: '+447700900102' }),
    ];
    console.log(`  jobrun setup, 2 workers and 2 APIs healthy in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
  after(() => cluster.stop());

  test('texts over both APIs, replays to the other API, a worker SIGKILLed mid-load and replaced: each text answered exactly once', async () => {
    const customers = clients.flatMap((client) => Array.from({ length: CUSTOMERS_PER_CLIENT }, () => ({ phone: uniqueMobile(), client })));
    const [api1, api2] = cluster.apis as [Api, Api];
    const started = Date.now();

    // Round 1, a first text from everyone. Half-way through the deliveries, once worker-1 is
    // seen taking its share, it is killed with the rest of its share in hand.
    const first = customers.map((c, i) => cluster.text(c.phone, c.client.number, `Could you quote for a new outside tap? Job ${i}`));
    const round1 = deliveries(first, 0);
    const half = Math.floor(round1.length / 2);
    await inPool(round1.slice(0, half), CONCURRENCY, ({ sms, api }) => cluster.deliver([api1, api2][api]!, '/sms', sms));
    const handledAtKill = await eventually('worker-1 to take texts', async () => {
      const n = await cluster.handledBy('worker-1');
      return n > 0 ? n : undefined;
    }, 60_000);
    const signal = await cluster.kill('worker-1');
    const answeredAtKill = customers.filter((c) => cluster.replies(c.phone) > 0).length;
    const deliveredAtKill = new Set(round1.slice(0, half).map((d) => d.sms.MessageSid)).size;
    await inPool(round1.slice(half), CONCURRENCY, ({ sms, api }) => cluster.deliver([api1, api2][api]!, '/sms', sms));
    await cluster.startWorker('worker-3');
    await eventually('every customer answered once', () => customers.every((c) => cluster.replies(c.phone) >= 1), 180_000);

    // Round 2, everyone answers the question they were asked; worker-2 and the replacement serve.
    const second = customers.map((c, i) => cluster.text(c.phone, c.client.number, `It is at ${i} High Street, SW1A 1AA`));
    const round2 = deliveries(second, 1);
    await inPool(round2, CONCURRENCY, ({ sms, api }) => cluster.deliver([api1, api2][api]!, '/sms', sms));
    await eventually('every customer answered twice', () => customers.every((c) => cluster.replies(c.phone) >= 2), 180_000);
    const texts = [...first, ...second];
    const outcomes = await inPool(texts, CONCURRENCY, (sms) => finishedWith(cluster.temporal, cluster.db, sms));
    const tookMs = Date.now() - started;
    const byOutcome = tally(outcomes);

    const webhooks = round1.length + round2.length;
    const replays = webhooks - texts.length;
    console.log(
      [
        `  smoke: ${texts.length} texts from ${customers.length} customers of ${clients.length} clients, ${webhooks} webhooks (${replays} replays to the other API), answered in ${(tookMs / 1000).toFixed(1)} s`,
        `  worker-1 killed (${signal}) having taken ${handledAtKill} texts, when ${deliveredAtKill} of ${first.length} first texts were delivered and ${answeredAtKill} answered; worker-3 replaced it`,
        `  intakes: ${byOutcome.get('forwarded') ?? 0} forwarded, ${byOutcome.get('already-forwarded') ?? 0} found already forwarded when run again after the kill`,
      ].join('\n'),
    );
    assert.equal(signal, 'SIGKILL');
    assert.ok(answeredAtKill < deliveredAtKill, 'the kill came with delivered texts still unanswered');

    // 'already-forwarded': an intake whose step worker-1 had done when it died, run again elsewhere and found done.
    assert.equal((byOutcome.get('forwarded') ?? 0) + (byOutcome.get('already-forwarded') ?? 0), texts.length, `every intake handed its text to its conversation: ${JSON.stringify([...byOutcome])}`);
    const perCustomer = tally(cluster.twilio.messages.map((m) => m.to));
    const wrong = customers.filter((c) => perCustomer.get(c.phone) !== 2).map((c) => `${c.phone}: ${perCustomer.get(c.phone) ?? 0}`);
    assert.deepEqual(wrong, [], 'two replies per customer, one per text: none lost, none doubled');
    for (const c of customers) assert.ok(cluster.twilio.to(c.phone).every((m) => m.from === c.client.number), 'answered from the client number');

    const clientIds = clients.map((c) => c.clientId);
    const inbound = await cluster.db.message.findMany({ where: { conversation: { clientId: { in: clientIds } }, direction: 'INBOUND' }, select: { twilioSid: true } });
    assert.equal(inbound.length, texts.length, 'one stored row per text');
    assert.deepEqual(new Set(inbound.map((m) => m.twilioSid)), new Set(texts.map((t) => t.MessageSid)));
    assert.equal(await cluster.db.message.count({ where: { conversation: { clientId: { in: clientIds } }, direction: 'OUTBOUND' } }), texts.length, 'one stored reply per text');
    assert.equal(await cluster.db.conversation.count({ where: { clientId: { in: clientIds } } }), customers.length, 'one conversation per customer, none lost');

    const metric = (api: Api, outcome: string) => metricValue(`${api.url}/metrics`, 'jobrun_sms_webhooks_total', { outcome });
    const accepted = await Promise.all(cluster.apis.map((a) => metric(a, 'accepted')));
    const duplicates = await Promise.all(cluster.apis.map((a) => metric(a, 'duplicate')));
    assert.ok(accepted.every((n) => n > 0), `both APIs took texts (${accepted.join(', ')})`);
    assert.equal(accepted[0]! + accepted[1]!, texts.length, 'each text accepted once, across the two APIs');
    assert.equal(duplicates[0]! + duplicates[1]!, replays, 'each replay recognised, whichever API it reached');
  });

  test('a missed call, its callbacks split over both APIs and one repeated: one text back', async () => {
    const [api1, api2] = cluster.apis as [Api, Api];
    const client = clients[0]!;
    const caller = uniqueMobile();
    const call = cluster.twilio.receiveCall({ from: caller, to: client.number, status: 'completed', duration: 31, dialled: { to: client.ownerPhone, status: 'no-answer', duration: 0 } });
    const base = { CallSid: call.sid, From: caller, To: client.number };
    assert.match(await cluster.deliver(api1, '/voice', base), /<Dial /, 'forwarded to the tradesperson');
    const dial = { ...base, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' };
    await cluster.deliver(api2, '/api/twilio/status', dial);
    await cluster.deliver(api1, '/api/twilio/status', dial);
    await cluster.deliver(api2, '/api/twilio/status', { ...base, CallStatus: 'completed', CallDuration: '31' });
    assert.equal(await cluster.temporal.workflow.getHandle<typeof missedCall>(call.sid).result(), 'texted-back');
    const texts = cluster.twilio.to(caller);
    assert.equal(texts.length, 1, 'one text back');
    assert.equal(texts[0]!.from, client.number);
    assert.match(texts[0]!.body, /North Plumbing/);
  });

  test('Temporal (SQL visibility) lists every intake completed and no workflow failed, timed out or terminated', async () => {
    const count = async (query: string) => (await cluster.temporal.workflow.count(query)).count;
    const texts = 2 * clients.length * CUSTOMERS_PER_CLIENT;
    await eventually('visibility to list every intake', async () => (await count(`WorkflowType = 'inboundSms' AND ExecutionStatus = 'Completed'`)) === texts, 60_000);
    assert.equal(await count(`ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Terminated'`), 0);
    assert.equal(await count(`WorkflowType = 'missedCall' AND ExecutionStatus = 'Completed'`), 1);
  });
});
