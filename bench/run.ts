// `npm run bench`: JobRun's webhook acknowledgement, reply overhead, restart
// recovery and memory, beside a bare Express handler (the ceiling) and the
// synchronous design JobRun replaced (store, AI and send inside the webhook),
// on this machine. Not part of the tests: results go to
// bench/results/<time>.json and are summarised in docs/performance.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/local/migrate';
import { startLocalPostgres } from '../src/local/postgres';
import { startDevServer } from '../src/local/temporal';
import { buildWorkflowBundle } from '../src/temporal/build-bundle';
import { createDb } from '../src/db';
import { FakeOpenAI } from '../test/support/fake-openai';
import { FakeTwilio } from '../test/support/fake-twilio';
import { freePort } from '../test/support/http';
import { uniqueMobile } from '../test/support/phones';
import { TestSystem, createClientFixture, resetDatabase, sid } from '../test/support/system';
import { bareApp, listenOn, synchronousApp } from './baselines';
import { constantRate, peakRssMb, percentile, round, type RunResult } from './load';

const ROOT = path.join(__dirname, '..');
const DATA = path.join(ROOT, '.data', 'bench', String(process.pid));
const AI_MS = 200;
const RATES = [10, 20, 40];
const RAMP = [25, 50, 75, 100, 150, 200, 300];
const quick = process.argv.includes('--quick');
const SECONDS = quick ? 4 : 10;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
/** Load customers (a pool of 5000, so conversations are reused as in life). */
const customer = (i: number) => `+447911${String(100000 + (i % 5000)).padStart(6, '0')}`;
/** Customers never seen before, for measurements that wait for their first reply. */
const freshCustomer = uniqueMobile;

function jobrunFire(system: TestSystem, to: string) {
  return (i: number) => system.post('/sms', { MessageSid: sid(), From: customer(i), To: to, Body: 'My boiler has stopped, no hot water' });
}

function plainFire(port: number, to: string) {
  return (i: number) =>
    fetch(`http://127.0.0.1:${port}/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ MessageSid: sid(), From: customer(i), To: to, Body: 'My boiler has stopped, no hot water' }),
    });
}

async function ramp(fire: (i: number) => Promise<Response>): Promise<{ maxSustainedRps: number; steps: RunResult[] }> {
  const steps: RunResult[] = [];
  let best = 0;
  for (const rps of RAMP) {
    const r = await constantRate(rps, quick ? 3 : 6, fire);
    steps.push(r);
    if (r.errors > 0 || r.achievedRps < rps * 0.9) break;
    best = rps;
  }
  return { maxSustainedRps: best, steps };
}

/** Sequential messages from fresh customers; the reply's arrival at the fake Twilio, minus the AI's think time. */
async function overhead(system: TestSystem, to: string, n: number): Promise<{ p50Ms: number; p99Ms: number; samples: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const phone = freshCustomer();
    const before = system.twilio.to(phone).length;
    const t0 = performance.now();
    await system.post('/sms', { MessageSid: sid(), From: phone, To: to, Body: 'Leaking tap in the kitchen' });
    while (system.twilio.to(phone).length === before) await new Promise((r) => setTimeout(r, 2));
    samples.push(performance.now() - t0 - AI_MS);
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: round(percentile(samples, 50)), p99Ms: round(percentile(samples, 99)), samples: n };
}

/**
 * Until no intake workflow is running and neither fake has seen a request for
 * 15 s (at most 10 minutes): the backlog is answered, so the next measurement
 * does not queue behind it.
 */
async function drained(system: TestSystem): Promise<void> {
  const deadline = Date.now() + 600_000;
  const activity = () => system.twilio.messages.length + system.openai.requests.length;
  let seen = -1;
  while (Date.now() < deadline) {
    const running = await system.temporal.workflow.count('WorkflowType="inboundSms" AND ExecutionStatus="Running"');
    if (running.count === 0 && activity() === seen) return;
    seen = activity();
    await new Promise((r) => setTimeout(r, 15_000));
  }
}

/** Missed calls at a fixed rate from new callers: from each status callback until its text-back reaches the fake Twilio. */
async function textBackLatency(system: TestSystem, to: string, rps: number): Promise<{ p50Ms: number; p99Ms: number; calls: number }> {
  const calls = Math.round(rps * SECONDS);
  const sentAt = new Map<string, number>();
  const started = Date.now();
  const posts: Promise<Response>[] = [];
  for (let i = 0; i < calls; i++) {
    const wait = started + (i * 1000) / rps - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const caller = freshCustomer();
    sentAt.set(caller, Date.now());
    posts.push(system.post('/api/twilio/status', { CallSid: sid('CA'), From: caller, To: to, CallStatus: 'no-answer', CallDuration: '0' }));
  }
  await Promise.all(posts);
  const deadline = Date.now() + 180_000;
  while ([...sentAt.keys()].some((c) => system.twilio.to(c).length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const latencies = [...sentAt].map(([caller, at]) => (system.twilio.to(caller)[0]?.dateCreated.getTime() ?? Infinity) - at).sort((a, b) => a - b);
  return { p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), calls };
}

/**
 * One minute of traffic in Twilio's log (120 texts, 30 calls, every one
 * handled already, as in normal operation), spread over a pool of `poolSize`
 * numbers: what a sweep costs in Twilio requests and time.
 */
async function sweepCost(system: TestSystem, poolSize: number): Promise<{ twilioRequests: number; p50Ms: number; maxMs: number; read: { texts: number; calls: number } }> {
  const numbers = Array.from({ length: poolSize }, () => `+4477${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`);
  await system.db.twilioNumberPool.createMany({ data: numbers.map((phoneNumber) => ({ phoneNumber, role: 'FREE' as const })), skipDuplicates: true });
  const handled = [];
  for (let i = 0; i < 120; i++) handled.push(system.twilio.receiveText({ from: freshCustomer(), to: numbers[i % poolSize]!, body: `text ${i}` }).sid);
  for (let i = 0; i < 30; i++) handled.push(system.twilio.receiveCall({ from: freshCustomer(), to: numbers[i % poolSize]!, status: 'completed', duration: 30 }).sid);
  await system.db.handledInbound.createMany({ data: handled.map((sid) => ({ sid, kind: 'BENCH', outcome: 'handled' })), skipDuplicates: true });
  const times: number[] = [];
  let last: Awaited<ReturnType<TestSystem['sweepNow']>> | undefined;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    last = await system.sweepNow();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { twilioRequests: last!.twilioRequests, p50Ms: round(percentile(times, 50)), maxMs: round(times.at(-1)!), read: last!.read };
}

async function main() {
  const started = Date.now();
  const pg = await startLocalPostgres(path.join(DATA, 'postgres'), await freePort(), { durable: false });
  await pg.createDatabase('jobrun_bench');
  const databaseUrl = pg.url('jobrun_bench');
  migrate(databaseUrl);
  const temporal = await startDevServer({ port: await freePort(), uiPort: null, dbFile: null, logFile: path.join(DATA, 'temporal.log') });
  const bundle = path.join(DATA, 'workflow-bundle.js');
  await buildWorkflowBundle(bundle);
  Object.assign(process.env, {
    JOBRUN_TEST_DATABASE_URL: databaseUrl,
    JOBRUN_TEST_TEMPORAL_ADDRESS: temporal.address,
    JOBRUN_TEST_LOG_DIR: path.join(DATA, 'logs'),
    WORKFLOW_BUNDLE_PATH: bundle,
  });
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
    fakeAiLatencyMs: AI_MS,
    secondsPerRate: SECONDS,
  };
  const db = createDb(databaseUrl);
  try {
    await resetDatabase(db);
    // JobRun, the default ordering window.
    const system = await new TestSystem('bench').start({ openai: true, env: { LOG_LEVEL: 'warn' } });
    system.openai.delayMs = AI_MS;
    system.openai.fallback = () => ({ turn: { reply: 'Thanks, what is the postcode?', urgency: 'ROUTINE', urgencyReason: 'bench', job: { tradeCategory: null, description: null, postcode: null, address: null, customerName: null, preferredTime: null, accessNotes: null }, complete: false } });
    const client = await createClientFixture(system.db);
    const jobrun = jobrunFire(system, client.number);

    log('acknowledgement latency at fixed rates (JobRun)');
    const jobrunRates: RunResult[] = [];
    for (const rps of RATES) jobrunRates.push(await constantRate(rps, SECONDS, jobrun));
    log('highest sustained rate (JobRun)');
    const jobrunRamp = await ramp(jobrun);
    const rss = { api: peakRssMb(system.pids().api), worker: peakRssMb(system.pids().worker) };
    log('waiting for the backlog to drain');
    await drained(system);
    // The same acknowledgement with no worker competing for the CPU: what the
    // API and the Temporal server cost alone, against which the figures above
    // show the price of processing the messages on the same two cores.
    log('acknowledgement latency at 20/s with the worker stopped');
    await system.terminateWorker();
    const ackAt20WorkerStopped = await constantRate(20, SECONDS, jobrun);
    await system.startWorkerAgain();
    log('waiting for the messages taken while it was stopped to drain');
    await drained(system);
    log('inbound-to-reply overhead, default ordering window');
    const overheadDefault = await overhead(system, client.number, quick ? 5 : 20);

    log('worker restart: 20 messages while the worker is down');
    await system.terminateWorker();
    const phones = Array.from({ length: 20 }, () => freshCustomer());
    for (const [i, phone] of phones.entries()) await system.post('/sms', { MessageSid: sid(), From: phone, To: client.number, Body: `restart test ${i}` });
    const restartAt = performance.now();
    await system.startWorkerAgain();
    while (phones.some((p) => system.twilio.to(p).length === 0)) await new Promise((r) => setTimeout(r, 20));
    const restartRecoveryMs = round(performance.now() - restartAt);
    await drained(system);

    log('missed call: status callback to text-back at Twilio, 5 and 20 calls a second');
    const textBackAt = { callsPerSecond5: await textBackLatency(system, client.number, 5), callsPerSecond20: await textBackLatency(system, client.number, 20) };
    log('recovery sweep: Twilio requests and time, with 10 and with 1,000 numbers in the pool');
    const recoverySweep = { pool10: await sweepCost(system, 10), pool1000: await sweepCost(system, 1000) };
    await system.stop();

    // JobRun with no ordering window: the overhead of the design itself.
    const noSettle = await new TestSystem('bench-nosettle').start({ openai: true, env: { LOG_LEVEL: 'warn', CONVERSATION_SETTLE_MS: '0' } });
    noSettle.openai.delayMs = AI_MS;
    noSettle.openai.fallback = system.openai.fallback;
    const client2 = await createClientFixture(noSettle.db);
    log('inbound-to-reply overhead, no ordering window');
    const overheadNoSettle = await overhead(noSettle, client2.number, quick ? 5 : 20);
    await noSettle.stop();

    log('baseline: bare Express');
    const bare = await listenOn(bareApp());
    const bareFire = plainFire(bare.port, client.number);
    const bareRates: RunResult[] = [];
    for (const rps of RATES) bareRates.push(await constantRate(rps, SECONDS, bareFire));
    const bareRamp = await ramp(bareFire);
    bare.server.close();

    log('baseline: a synchronous handler (store + AI + send in the request, in a transaction)');
    const fakeAi = await new FakeOpenAI().start();
    fakeAi.delayMs = AI_MS;
    fakeAi.fallback = () => ({ turn: { reply: 'Thanks' } });
    const fakeTwilio = await new FakeTwilio().start();
    const sync = await listenOn(synchronousApp({ db, clientId: client.clientId, openaiUrl: fakeAi.url, twilioUrl: fakeTwilio.url }));
    const syncFire = plainFire(sync.port, client.number);
    const syncRates: RunResult[] = [];
    for (const rps of RATES) syncRates.push(await constantRate(rps, SECONDS, syncFire));
    const syncRamp = await ramp(syncFire);
    sync.server.close();
    await Promise.all([fakeAi.stop(), fakeTwilio.stop()]);

    const at20 = (rs: RunResult[]) => rs.find((r) => r.offeredRps === 20)!;
    Object.assign(results, {
      jobrun: {
        rates: jobrunRates,
        ramp: jobrunRamp,
        ackAt20WorkerStopped,
        overheadDefaultWindow: overheadDefault,
        overheadNoWindow: overheadNoSettle,
        restartRecoveryMs,
        peakRssMb: rss,
        textBackAt,
        recoverySweep,
      },
      bareExpress: { rates: bareRates, ramp: bareRamp },
      synchronous: { rates: syncRates, ramp: syncRamp },
      ratios: {
        ackP99At20_jobrunOverBare: round(at20(jobrunRates).p99Ms / at20(bareRates).p99Ms),
        ackP99At20_syncOverJobrun: round(at20(syncRates).p99Ms / at20(jobrunRates).p99Ms),
        maxRate_jobrunOverBare: round(jobrunRamp.maxSustainedRps / Math.max(bareRamp.maxSustainedRps, 1)),
        maxRate_jobrunOverSync: round(jobrunRamp.maxSustainedRps / Math.max(syncRamp.maxSustainedRps, 1)),
      },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    });
  } finally {
    await db.$disconnect();
    await temporal.stop();
    await pg.stop();
  }
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const file = path.join(ROOT, 'bench', 'results', `${(results.at as string).replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  log(`written to ${path.relative(ROOT, file)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
