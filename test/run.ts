// `npm test`: brings up what the suite needs (a Postgres under .data/test, an
// in-memory Temporal dev server, the workflow bundle built once), runs every
// test file with node:test, and tears it all down. Arguments filter the files.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '../src/local/migrate';
import { startLocalPostgres, type LocalPostgres } from '../src/local/postgres';
import { ensureTemporalBinary, startDevServer, type DevServer } from '../src/local/temporal';
import { buildWorkflowBundle } from '../src/temporal/build-bundle';
import { freePort } from './support/http';

const ROOT = path.join(__dirname, '..');
// One directory per run: runs side by side (two terminals, two engineers) must not share a Postgres.
const DATA = path.join(ROOT, '.data', 'test', String(process.pid));
const SUITES = ['unit', 'workflows', 'integration', 'faults', '.'];

function testFiles(filters: string[]): string[] {
  const files = SUITES.flatMap((dir) => {
    const full = path.join(__dirname, dir);
    return existsSync(full)
      ? readdirSync(full)
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => path.join(full, f))
      : [];
  });
  return filters.length ? files.filter((f) => filters.some((x) => f.includes(x))) : files;
}

/** Keeps the logs of the last few runs; a run whose process is gone is finished. */
function pruneFinishedRuns() {
  const parent = path.dirname(DATA);
  const runs = readdirSync(parent)
    .filter((d) => /^\d+$/.test(d) && d !== String(process.pid))
    .filter((d) => {
      try {
        process.kill(Number(d), 0);
        return false;
      } catch {
        return true;
      }
    });
  for (const d of runs.slice(0, Math.max(0, runs.length - 3))) rmSync(path.join(parent, d), { recursive: true, force: true });
}

function log(line: string) {
  process.stderr.write(`[npm test] ${line}\n`);
}

async function main(): Promise<number> {
  const files = testFiles(process.argv.slice(2));
  if (files.length === 0) {
    log('no test files match');
    return 1;
  }
  const started = Date.now();
  const logDir = path.join(DATA, 'logs');
  rmSync(logDir, { recursive: true, force: true });
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let databaseUrl = process.env.JOBRUN_TEST_DATABASE_URL;
    if (!databaseUrl) {
      const pg: LocalPostgres = await startLocalPostgres(path.join(DATA, 'postgres'), await freePort(), { durable: false });
      cleanups.push(() => pg.stop());
      await pg.createDatabase('jobrun_test');
      databaseUrl = pg.url('jobrun_test');
    }
    log(`postgres ready (${Date.now() - started} ms)`);
    migrate(databaseUrl);

    let temporalAddress = process.env.JOBRUN_TEST_TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const server: DevServer = await startDevServer({
        port: await freePort(),
        uiPort: null,
        dbFile: null,
        logFile: path.join(logDir, 'temporal-server.log'),
      });
      cleanups.push(() => server.stop());
      temporalAddress = server.address;
    }
    log(`temporal ready at ${temporalAddress} (${Date.now() - started} ms)`);

    // The time-skipping test server of test/workflows, resolved (installed if missing) once for every file.
    const needsTestServer = files.some((f) => path.dirname(f) === path.join(__dirname, 'workflows'));
    const testServerPath = process.env.TEMPORAL_TEST_SERVER_PATH ?? (needsTestServer ? await ensureTemporalBinary('temporal-test-server') : undefined);

    const bundlePath = path.join(DATA, 'workflow-bundle.js');
    await buildWorkflowBundle(bundlePath);
    log(`workflow bundle built (${Date.now() - started} ms); running ${files.length} test files`);

    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
        {
          cwd: ROOT,
          stdio: 'inherit',
          env: {
            ...process.env,
            JOBRUN_TEST_DATABASE_URL: databaseUrl,
            JOBRUN_TEST_TEMPORAL_ADDRESS: temporalAddress,
            JOBRUN_TEST_LOG_DIR: logDir,
            WORKFLOW_BUNDLE_PATH: bundlePath,
            TEMPORAL_TEST_SERVER_PATH: testServerPath,
            DATABASE_URL: databaseUrl,
            // A developer's .env must not reach the processes the suite starts.
            JOBRUN_ENV_FILE: 'none',
          },
        },
      );
      child.on('exit', (c) => resolve(c ?? 1));
    });
    log(`${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s; process logs in ${path.relative(ROOT, logDir)}`);
    return code;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log(`cleanup: ${(err as Error).message}`));
    rmSync(path.join(DATA, 'postgres'), { recursive: true, force: true });
    pruneFinishedRuns();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`could not run the suite: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
