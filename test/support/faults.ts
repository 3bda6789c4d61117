// Fault injection for test/faults: a Twilio wire that can go down or hold
// its answers, a Temporal dev server and a Postgres of a test's own that it
// can stop and start again, worker kill and restart, and small load helpers.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { migrate } from '../../src/local/migrate';
import { startLocalPostgres, type LocalPostgres } from '../../src/local/postgres';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/local/temporal';
import { close, freePort, listen, readBody, sendJson } from './http';
import { eventually, sleep } from './poll';
import { TestSystem, testEnv, type SystemOptions } from './system';

/**
 * Sits between JobRun and the FakeTwilio (TWILIO_API_BASE_URL points here).
 * During an outage every request (create and list alike) is answered 503,
 * as a Twilio incident would; `holdMs` delays each answer after the fake has
 * taken the request, so that a send can be caught between Twilio storing the
 * message and JobRun hearing about it.
 */
class TwilioWire {
  private outageUntil = 0;
  /** Delay applied to every answer once the fake has handled the request. */
  holdMs = 0;
  /** Requests answered 503 by an outage. */
  refused = 0;
  /** Requests the fake has handled whose answer is still being held. */
  held = 0;
  url = '';
  private server = http.createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 502, { code: 20500, message: `wire: ${String(err)}`, status: 502 });
    });
  });

  constructor(private readonly upstream: () => string) {}

  async start(): Promise<this> {
    this.url = `http://127.0.0.1:${await listen(this.server)}`;
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  get down(): boolean {
    return Date.now() < this.outageUntil;
  }

  /** Every request fails with 503 from now until `ms` from now; resolves when the outage ends. */
  async outage(ms: number): Promise<void> {
    this.outageUntil = Date.now() + ms;
    await sleep(ms);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readBody(req);
    if (this.down) {
      this.refused += 1;
      return sendJson(res, 503, { code: 20503, message: 'Service Unavailable (fault injected)', status: 503 });
    }
    const answer = await fetch(`${this.upstream()}${req.url ?? '/'}`, {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded',
      },
      body: req.method === 'POST' ? body : undefined,
    });
    const text = await answer.text();
    if (this.holdMs > 0) {
      this.held += 1;
      await sleep(this.holdMs);
      this.held -= 1;
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  }
}

/** A TestSystem whose Twilio goes through a TwilioWire, and whose worker can be killed and started again. */
export class FaultSystem extends TestSystem {
  readonly wire = new TwilioWire(() => this.twilio.url);

  override async start(opts: SystemOptions = {}): Promise<this> {
    await this.wire.start();
    return super.start({ ...opts, env: { TWILIO_API_BASE_URL: this.wire.url, ...opts.env } });
  }

  /** SIGKILLs the worker: no drain, in-flight activities are abandoned mid-call. */
  async killWorker(): Promise<void> {
    await this.terminate('worker', 'SIGKILL');
  }

  /** SIGKILLs the API: Twilio's webhooks find nothing listening. */
  async killApi(): Promise<void> {
    await this.terminate('api', 'SIGKILL');
  }

  /** Starts an API again after killApi, and waits until it answers /health. */
  async startApiAgain(): Promise<void> {
    await this.respawnApi();
  }

  /** Starts a worker again after killWorker (restartWorker finds the old one gone and only spawns). */
  async startWorker(): Promise<void> {
    const before = this.logCount('worker', '"event":"worker.running"');
    await this.restartWorker();
    await eventually('worker polling again', () => this.logCount('worker', '"event":"worker.running"') > before, 60_000);
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.wire.stop();
  }
}

/** A Temporal dev server of a test's own, with its state in a SQLite file so that it survives a restart. */
export interface OwnTemporal {
  address: string;
  /** Stops the server (SIGTERM); its state stays in the file. */
  stop(): Promise<void>;
  /** Starts it again on the same port and file. */
  start(): Promise<void>;
  /** Stops it and removes its file. */
  destroy(): Promise<void>;
}

export async function ownTemporal(name: string): Promise<OwnTemporal> {
  // Beside the run's logs (.data/test/<run>/), so a run that dies leaves it where the runner prunes.
  const dir = path.join(path.dirname(testEnv('JOBRUN_TEST_LOG_DIR')), `${name}-temporal-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const opts: DevServerOptions = {
    port: await freePort(),
    uiPort: null,
    dbFile: path.join(dir, 'temporal.db'),
    logFile: path.join(testEnv('JOBRUN_TEST_LOG_DIR'), `${name}-temporal-server.log`),
  };
  let server: DevServer | null = await startDevServer(opts);
  const address = server.address;
  return {
    address,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server = await startDevServer(opts);
    },
    async destroy() {
      await server?.stop();
      server = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Postgres of a test's own (migrated), which the test may stop and start again on the same port. */
export interface OwnPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function ownPostgres(name: string): Promise<OwnPostgres> {
  // Under the temp directory: as root the server runs as the postgres user, which can always reach it.
  const dir = path.join(os.tmpdir(), `jobrun-${name}-pg-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  let pg: LocalPostgres | null = await startLocalPostgres(dir, port, { durable: false });
  await pg.createDatabase('jobrun');
  const url = pg.url('jobrun');
  migrate(url);
  return {
    url,
    async stop() {
      await pg?.stop();
      pg = null;
    },
    async start() {
      pg = await startLocalPostgres(dir, port, { durable: false });
    },
    async destroy() {
      await pg?.stop().catch(() => undefined);
      pg = null;
      rmSync(dir, { recursive: true, force: true });
      rmSync(path.join(os.tmpdir(), `jobrun-pg-sock-${port}`), { recursive: true, force: true });
    },
  };
}

/** Runs `fn` over `items` with at most `concurrency` calls at a time; results in item order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The p-th percentile (0..100) of some numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** How many times each value occurs. */
export function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
