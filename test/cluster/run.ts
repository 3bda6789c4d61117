// `npm run test:cluster`: the production topology of docker-compose.yml, run
// for real without Docker. Its infrastructure comes up here as compose brings
// it up: Postgres, Temporal's schema (deploy/temporal/setup-schema.sh), the
// Temporal server built from source at the version compose pins
// (deploy/temporal/config.yaml: Postgres persistence, SQL visibility), the
// namespace (deploy/temporal/create-namespace.sh). Then test/cluster/*.test.ts
// deploys JobRun on it (jobrun setup, two APIs, two workers) and drives it.
// Everything is torn down at the end; the exit code is the tests'.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startLocalPostgres } from '../../src/local/postgres';
import { ensureTemporalBinary } from '../../src/local/temporal';
import {
  CLUSTER_DATA,
  composeImageTags,
  devServerVersions,
  ensureTemporalBuild,
  runDeployScript,
  serverEnv,
  startTemporalServer,
  type ServerPorts,
} from './temporal-server';

const ROOT = path.join(__dirname, '..', '..');
const RUN = path.join(CLUSTER_DATA, 'run');
const LOGS = path.join(RUN, 'logs');
// Fixed, so a leftover server is recognisable in the logs; away from the dev
// server's 7233 and below the ephemeral range the suite's free ports come from.
const POSTGRES_PORT = 55432;
const PORTS: ServerPorts = { frontend: 17233, frontendHttp: 17243, history: 17234, matching: 17235, worker: 17239, membership: 16933 };

function log(line: string) {
  process.stderr.write(`[cluster] ${line}\n`);
}

async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Compose pins the server the dev server of the tests embeds, so what the
 * suite proves on the dev server holds for what compose deploys.
 */
async function checkVersions(cli: string): Promise<string> {
  const tags = composeImageTags();
  const dev = await devServerVersions(cli);
  const wrong: string[] = [];
  if (tags.server !== dev.server) wrong.push(`temporalio/server:${tags.server}, but the dev server is ${dev.server}`);
  // admin-tools has carried the server's version as its tag since 1.30.
  if (tags.adminTools !== tags.server) wrong.push(`temporalio/admin-tools:${tags.adminTools}, not the server's ${tags.server}`);
  if (tags.ui !== dev.ui) wrong.push(`temporalio/ui:${tags.ui}, but the dev server's UI is ${dev.ui}`);
  if (wrong.length) throw new Error(`docker-compose.yml pins ${wrong.join('; ')}: pin compose to the dev server's versions`);
  return tags.server;
}

async function main(): Promise<number> {
  const started = Date.now();
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const cli = await ensureTemporalBinary('temporal');
    const version = await checkVersions(cli);

    const build = await ensureTemporalBuild(version, log);
    log(build.cached ? `temporal-server ${version}: cached build (it took ${build.buildSeconds} s)` : `temporal-server ${version}: built in ${build.buildSeconds} s`);

    let t = Date.now();
    rmSync(RUN, { recursive: true, force: true });
    mkdirSync(LOGS, { recursive: true });
    // fsync off: the run kills a worker, never Postgres, and the data is thrown away.
    const postgres = await startLocalPostgres(path.join(RUN, 'postgres'), POSTGRES_PORT, { durable: false });
    cleanups.push(() => postgres.stop());
    // Empty databases every run: a data directory the postgres user cannot enter lives in the temp directory instead, and outlives RUN.
    for (const db of ['jobrun', 'temporal', 'temporal_visibility']) await dropDatabase(postgres.url('postgres'), db);
    await postgres.createDatabase('jobrun');
    const sql = { SQL_PLUGIN: 'postgres12', SQL_HOST: '127.0.0.1', SQL_PORT: String(POSTGRES_PORT), SQL_USER: 'jobrun', SQL_PASSWORD: '', SCHEMA_DIR: path.join(build.binDir, 'schema') };
    await runDeployScript('setup-schema.sh', sql, [build.binDir], path.join(LOGS, 'setup-schema.log'));
    log(`postgres on ${POSTGRES_PORT}, Temporal's schema set up (${seconds(Date.now() - t)})`);

    t = Date.now();
    const env = serverEnv({ host: '127.0.0.1', port: POSTGRES_PORT, user: 'jobrun', password: '' }, PORTS);
    const server = await startTemporalServer(build, env, path.join(LOGS, 'temporal-server.log'));
    cleanups.push(() => server.stop());
    await runDeployScript('create-namespace.sh', { TEMPORAL_ADDRESS: server.address }, [path.dirname(cli)], path.join(LOGS, 'create-namespace.log'));
    log(`temporal-server ${version} serving on ${server.address}, namespace default (${seconds(Date.now() - t)})`);

    // What a release runs: `npm run build`'s dist/ (tsc, then the workflow bundle).
    t = Date.now();
    await new Promise<void>((resolve, reject) => {
      const build = spawn('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      build.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`npm run build exited with ${c}`))));
    });
    const bundlePath = path.join(ROOT, 'dist', 'workflow-bundle.js');
    log(`npm run build: dist/ and the workflow bundle (${seconds(Date.now() - t)})`);
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(__dirname, f));
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          JOBRUN_TEST_DATABASE_URL: postgres.url('jobrun'),
          JOBRUN_TEST_TEMPORAL_ADDRESS: server.address,
          JOBRUN_TEST_LOG_DIR: LOGS,
          WORKFLOW_BUNDLE_PATH: bundlePath,
          JOBRUN_PROCESSES: 'compiled',
          JOBRUN_ENV_FILE: 'none',
        },
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    log(`${code === 0 ? 'passed' : 'FAILED'}: ${seconds(Date.now() - started)} in all (server build ${build.cached ? 'cached' : `${build.buildSeconds} s`}); logs in ${path.relative(ROOT, LOGS)}`);
    return code;
  } finally {
    const t = Date.now();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log(`cleanup: ${(err as Error).message}`));
    rmSync(path.join(RUN, 'postgres'), { recursive: true, force: true });
    log(`torn down (${seconds(Date.now() - t)})`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`could not run the cluster: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
