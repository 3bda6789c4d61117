// The real JobRun processes (`npm run api`, `npm run worker`) against the
// suite's Postgres and Temporal, with Twilio and OpenAI faked at the wire.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import twilio from 'twilio';
import { createDb, type Db } from '../../src/db';
import { temporalDataConverter } from '../../src/temporal/client';
import { parsePayloadKeys } from '../../src/temporal/payload-encryption';
import { digestScheduleId, numberCheckScheduleId, recoveryScheduleId, retentionScheduleId } from '../../src/temporal/schedules';
import { twilioRecovery, type inboundSms, type missedCall } from '../../workflows';
import type { SweepResult } from '../../workflows/shared/types';
import { conversationProgressQuery } from '../../workflows/conversation';
import { onboardingProgressQuery } from '../../workflows/onboarding';
import { conversationWorkflowId, onboardingWorkflowId } from '../../workflows/shared/ids';
import { FakeOpenAI } from './fake-openai';
import { FakeTwilio } from './fake-twilio';
import { freePort } from './http';
import { poolNumber } from './phones';
import { eventually, untilHandled } from './poll';

const ROOT = path.join(__dirname, '..', '..');
const AUTH_TOKEN = 'test-auth-token-0123456789';
const ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const FOUNDER_PHONE = '+447700900999';
export const SYSTEM_SMS_NUMBER = '+447700900998';
export const SUITE_HASH_KEY = 'suite-search-hash-key-0123456789abcdef';
/** The suite's payload keys: newest first, the older one only opening what it sealed before a rotation. */
export const SUITE_PAYLOAD_KEYS = `suite-2:${Buffer.alloc(32, 2).toString('base64')},suite-1:${Buffer.alloc(32, 1).toString('base64')}`;

/** The data converter of a client that holds these PAYLOAD_ENCRYPTION_KEYS, as the processes do. */
export const sealingConverter = (keys: string) => temporalDataConverter({ payloadEncryption: { mode: 'on', keys: parsePayloadKeys(keys) } });

export function testEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with npm test`);
  return value;
}

export const sid = (prefix = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;

let sweeps = 0;

export interface SystemOptions {
  /** Extra or overriding environment for both processes (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Point OPENAI_BASE_URL at the fake and set a key. */
  openai?: boolean;
  /** Start the worker too (default true). */
  worker?: boolean;
}

export class TestSystem {
  readonly twilio = new FakeTwilio();
  readonly openai = new FakeOpenAI();
  readonly taskQueue = `test-${randomBytes(4).toString('hex')}`;
  db!: Db;
  temporal!: Client;
  port = 0;
  private api?: ChildProcess;
  private workerProc?: ChildProcess;
  private env: NodeJS.ProcessEnv = {};

  constructor(private readonly name: string) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(opts: SystemOptions = {}): Promise<this> {
    await this.twilio.start();
    if (opts.openai) await this.openai.start();
    this.port = await freePort();
    const env = jobrunEnv({
      port: this.port,
      publicBaseUrl: this.baseUrl,
      databaseUrl: testEnv('JOBRUN_TEST_DATABASE_URL'),
      temporalAddress: testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS'),
      taskQueue: this.taskQueue,
      twilioUrl: this.twilio.url,
      openaiUrl: opts.openai ? this.openai.url : undefined,
    });
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    this.env = env;
    this.db = createDb(env.DATABASE_URL!);
    // The test's client holds every suite key, so that it reads what the processes seal before and after a rotation.
    this.temporal = new Client({
      connection: Connection.lazy({ address: env.TEMPORAL_ADDRESS! }),
      dataConverter: env.PAYLOAD_ENCRYPTION_KEYS ? sealingConverter(SUITE_PAYLOAD_KEYS) : temporalDataConverter({ payloadEncryption: { mode: 'off' } }),
    });
    if (opts.worker !== false) this.workerProc = this.spawn('worker');
    this.api = this.spawn('api');
    await this.waitHealthy(opts.worker !== false);
    return this;
  }

  private spawn(which: 'api' | 'worker'): ChildProcess {
    return spawnJobrun(which, this.env, path.join(testEnv('JOBRUN_TEST_LOG_DIR'), `${this.name}-${which}.log`));
  }

  private async waitHealthy(withWorker: boolean) {
    await untilHealthy(`${this.name}: API`, this.baseUrl, this.api!, withWorker);
  }

  /** Until JobRun has finished with an inbound SMS (see finishedWith). */
  finished(sms: { MessageSid: string; From: string }): Promise<Awaited<ReturnType<typeof inboundSms>>> {
    return finishedWith(this.temporal, this.db, sms);
  }

  /** Until the text-back of a call is done (or found not needed). */
  callFinished(callSid: string): Promise<Awaited<ReturnType<typeof missedCall>>> {
    return this.temporal.workflow.getHandle<typeof missedCall>(callSid).result();
  }

  /** Whether a workflow of this ID was ever started (a webhook refused or ignored starts none). */
  started(workflowId: string): Promise<boolean> {
    return startedWorkflow(this.temporal, workflowId);
  }

  /** Changes the environment of the processes started from now on (restartWorker, startWorkerAgain). */
  setEnv(vars: Record<string, string>): void {
    Object.assign(this.env, vars);
  }

  logFile(which: 'api' | 'worker'): string {
    return path.join(testEnv('JOBRUN_TEST_LOG_DIR'), `${this.name}-${which}.log`);
  }

  logCount(which: 'api' | 'worker', needle: string): number {
    const file = this.logFile(which);
    return existsSync(file) ? readFileSync(file, 'utf8').split(needle).length - 1 : 0;
  }

  /** A new API process, once the old one is gone; resolves when it answers /health. */
  protected async respawnApi(): Promise<void> {
    this.api = this.spawn('api');
    await this.waitHealthy(false);
  }

  /** Kills the worker (SIGKILL), leaving it down until startWorkerAgain. */
  async terminateWorker(): Promise<void> {
    await stopProcess(this.workerProc, 'SIGKILL');
  }

  startWorkerAgain(): void {
    this.workerProc = this.spawn('worker');
  }

  /** Stops and restarts the worker process, as a deploy or a crash would (SIGKILL when `kill`). */
  async restartWorker(kill = false): Promise<void> {
    await stopProcess(this.workerProc, kill ? 'SIGKILL' : 'SIGTERM');
    this.workerProc = this.spawn('worker');
  }

  /** The API's and the worker's process IDs (benchmarks sample their memory). */
  pids(): { api?: number; worker?: number } {
    return { api: this.api?.pid, worker: this.workerProc?.pid };
  }

  /** Signals one process and reports how it ended and how long it took. */
  async terminate(which: 'api' | 'worker', signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
    const child = which === 'api' ? this.api : this.workerProc;
    if (!child || child.exitCode !== null) throw new Error(`${which} is not running`);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const code = await exited;
    return { code, ms: Date.now() - started };
  }

  /** POSTs a signed Twilio webhook (or a forged / unsigned one). */
  post(route: string, params: Record<string, string>, signature: 'valid' | 'forged' | 'none' = 'valid'): Promise<Response> {
    return postWebhook(this.baseUrl, route, params, signature);
  }

  /**
   * A text reaching a JobRun number as Twilio handles one: into the account's
   * log, then (unless `webhook` is false: a wrong URL on the number) its
   * webhook, sent once. Twilio does not retry a 5xx, and retries a refused
   * connection only once.
   */
  async textIn(text: { from: string; to: string; body: string }, { webhook = true } = {}) {
    const logged = this.twilio.receiveText(text);
    const params = { MessageSid: logged.sid, From: text.from, To: text.to, Body: text.body, AccountSid: ACCOUNT_SID };
    let answered: number | 'unreachable' | 'not sent' = 'not sent';
    for (let attempt = 0; webhook && attempt < 2; attempt++) {
      try {
        answered = (await this.post('/sms', params)).status;
        break;
      } catch {
        answered = 'unreachable';
      }
    }
    return { params, answered };
  }

  /** One sweep over the fake's log, now, by the real workflow and activities; what it found. */
  async sweepNow(): Promise<SweepResult> {
    sweeps += 1;
    return this.temporal.workflow.execute(twilioRecovery, { workflowId: `twilio-recovery:${this.taskQueue}:test-${sweeps}`, taskQueue: this.taskQueue });
  }

  async stop(): Promise<void> {
    // The worker's schedules would go on starting workflows that no worker runs.
    for (const id of [recoveryScheduleId(this.taskQueue), digestScheduleId(this.taskQueue), numberCheckScheduleId(this.taskQueue), retentionScheduleId(this.taskQueue)]) {
      await this.temporal?.schedule.getHandle(id).delete().catch(() => undefined);
    }
    await Promise.all([stopProcess(this.api, 'SIGTERM'), stopProcess(this.workerProc, 'SIGTERM')]);
    await Promise.allSettled([this.twilio.stop(), this.openai.url ? this.openai.stop() : Promise.resolve(), this.db?.$disconnect(), this.temporal?.connection.close()]);
  }
}

export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export interface JobrunEnvOptions {
  port: number;
  /** The URL Twilio is given: what signatures are computed over (a load balancer's, when several APIs stand behind one). */
  publicBaseUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  twilioUrl: string;
  openaiUrl?: string;
}

/** The environment of an API or worker process in the tests: Twilio and OpenAI faked at the wire, timers that fire only when a test asks. */
export function jobrunEnv(o: JobrunEnvOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(o.port),
    PUBLIC_BASE_URL: o.publicBaseUrl,
    DATABASE_URL: o.databaseUrl,
    TEMPORAL_ADDRESS: o.temporalAddress,
    TEMPORAL_TASK_QUEUE: o.taskQueue,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: o.twilioUrl,
    TWILIO_SIGNATURE_CHECK: 'on',
    FOUNDER_PHONE,
    SYSTEM_SMS_NUMBER,
    OPENAI_API_KEY: o.openaiUrl ? 'sk-test' : undefined,
    OPENAI_BASE_URL: o.openaiUrl,
    OPENAI_TIMEOUT_MS: '5000',
    // The recovery sweep runs when a test starts it (sweepNow), or a test sets a short interval.
    RECOVERY_INTERVAL: '1h',
    SEARCH_HASH_KEY: SUITE_HASH_KEY,
    PAYLOAD_ENCRYPTION_KEYS: SUITE_PAYLOAD_KEYS,
    // Escalations ring the tradesperson when a test sets a short window (test/integration/escalation.test.ts).
    ESCALATION_ACK_EMERGENCY: '24h',
    ESCALATION_ACK_URGENT: '24h',
    LOG_LEVEL: 'debug',
  };
}

/**
 * Starts the API or the worker as a child, its output appended to `logFile`: the one place a test
 * starts a JobRun process. The TypeScript through tsx; with JOBRUN_PROCESSES=compiled (the cluster
 * run), what `npm run api` and `npm run worker` run in production: node on dist/ (npm run build).
 */
export function spawnJobrun(which: 'api' | 'worker', env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const args = process.env.JOBRUN_PROCESSES === 'compiled' ? ['--enable-source-maps', path.join(ROOT, 'dist', 'src', `${which}.js`)] : ['--import', 'tsx', path.join(ROOT, 'src', `${which}.ts`)];
  return spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
}

/** Until the API at `baseUrl` answers /health (and, `withWorker`, sees a worker polling); fails at once if its process exits. */
export async function untilHealthy(what: string, baseUrl: string, api: ChildProcess, withWorker: boolean): Promise<void> {
  await eventually(`${what} healthy`, async () => {
    if (api.exitCode != null) throw new Error(`api exited with ${api.exitCode}`);
    const res = await fetch(`${baseUrl}/health`);
    const body = (await res.json()) as { checks: { workers: { pollers?: number } } };
    return !withWorker || (body.checks.workers.pollers ?? 0) > 0;
  }, 60_000);
}

/**
 * POSTs a Twilio webhook to `target`, signed (or forged, or unsigned) as
 * Twilio signs it: over the URL it was given, `signedBase` (the same as the
 * target unless a load balancer stands between them).
 */
export function postWebhook(target: string, route: string, params: Record<string, string>, signature: 'valid' | 'forged' | 'none' = 'valid', signedBase = target): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== 'none') {
    const token = signature === 'valid' ? AUTH_TOKEN : 'not-the-auth-token';
    headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(token, `${signedBase}${route}`, params);
  }
  return fetch(`${target}${route}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
}

/**
 * Until JobRun has finished with an inbound SMS (the webhook's parameters):
 * its intake workflow closed and, where it went on to a conversation or a
 * sign-up, that workflow done with it (its replies, alerts and escalations
 * sent). Nothing more happens for the text after this.
 */
export async function finishedWith(temporal: Client, db: Db, sms: { MessageSid: string; From: string }): Promise<Awaited<ReturnType<typeof inboundSms>>> {
  const outcome = await temporal.workflow.getHandle<typeof inboundSms>(sms.MessageSid).result();
  if (outcome === 'forwarded' || outcome === 'already-forwarded') {
    const { conversation } = await db.message.findUniqueOrThrow({ where: { twilioSid: sms.MessageSid }, select: { conversation: true } });
    await untilHandled(temporal.workflow.getHandle(conversationWorkflowId(conversation.clientId, conversation.customerId)), conversationProgressQuery, sms.MessageSid);
  }
  if (outcome === 'onboarding' && (await startedWorkflow(temporal, onboardingWorkflowId(sms.From)))) {
    // A phone that is already a client's is answered by the intake: its sign-up, closed, never saw the text.
    const signup = temporal.workflow.getHandle(onboardingWorkflowId(sms.From));
    await eventually(`${signup.workflowId} to finish with ${sms.MessageSid}`, async () => {
      const progress = await signup.query(onboardingProgressQuery);
      if (progress.seenSids.includes(sms.MessageSid)) return progress.handling === null && progress.pending.length === 0;
      return (await signup.describe()).status.name !== 'RUNNING';
    }, 60_000);
  }
  return outcome;
}

/** Whether a workflow of this ID was ever started (a webhook refused or ignored starts none). */
async function startedWorkflow(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export async function resetDatabase(db: Db): Promise<void> {
  await db.$executeRawUnsafe(
    'TRUNCATE "Message", "OutboundMessage", "OutboundCall", "Job", "Conversation", "Customer", "OnboardingState", "TwilioNumberPool", "Client", "OperatorAlert", "AiUsage", "HandledInbound", "RecoveryCheckpoint" CASCADE',
  );
}

export interface ClientFixture {
  clientId: string;
  number: string;
  ownerPhone: string;
}

export async function createClientFixture(
  db: Db,
  opts: { businessName?: string; outboundPaused?: boolean; serviceArea?: string[]; ownerPhone?: string; backupPhone?: string } = {},
): Promise<ClientFixture> {
  const number = poolNumber();
  const ownerPhone = opts.ownerPhone ?? '+447700900100';
  const client = await db.client.create({
    data: {
      businessName: opts.businessName ?? 'Ace Plumbing',
      phoneNumber: ownerPhone,
      trade: 'plumbing',
      serviceArea: opts.serviceArea ?? [],
      outboundPaused: opts.outboundPaused ?? false,
      backupPhone: opts.backupPhone ?? null,
      numbers: { create: { phoneNumber: number, role: 'ASSIGNED' } },
    },
  });
  return { clientId: client.id, number, ownerPhone };
}
