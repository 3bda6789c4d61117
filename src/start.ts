// `npm start`: the whole system in one process for a fresh clone. With no
// DATABASE_URL it runs a Postgres under .data/; with no TEMPORAL_ADDRESS, the
// Temporal dev server (state in .data/, Web UI on 8233). Then migrations, the
// API and the worker. SIGINT/SIGTERM stop everything it started.
import path from 'node:path';
import { printStartupWarnings, startBanner } from './banners';
import { localSecret } from './local/local-secret';
import { newPayloadKeyEntry } from './temporal/payload-encryption';
import { CODEC_PATH } from './routes/codec';
import { loadConfigOrExit, loadEnvFileOrExit } from './config';
import { Connection } from '@temporalio/client';
import { setup } from './admin/setup';
import { temporalConnectionOptions } from './temporal/connection-options';
import { startLocalPostgres, type LocalPostgres } from './local/postgres';
import { startDevServer, type DevServer } from './local/temporal';
import { firstRunStep } from './local/exec';
import { buildWorkflowBundle } from './temporal/build-bundle';
import { createLogger } from './logger';
import { installTemporalRuntime } from './temporal/runtime';
import { startApi } from './processes/start-api';
import { exitOnFatal, onShutdownSignal } from './processes/signals';
import { startWorker } from './processes/start-worker';
import { DATA_DIR } from './paths';

const LOCAL_PG_PORT = Number(process.env.JOBRUN_LOCAL_PG_PORT ?? 54329);
const DEV_TEMPORAL_PORT = Number(process.env.JOBRUN_DEV_TEMPORAL_PORT ?? 7233);
const DEV_UI_PORT = Number(process.env.JOBRUN_DEV_UI_PORT ?? 8233);

loadEnvFileOrExit();
// Local development defaults: without a Twilio token there is nothing to check signatures with.
if (!process.env.TWILIO_AUTH_TOKEN && !process.env.TWILIO_SIGNATURE_CHECK) process.env.TWILIO_SIGNATURE_CHECK = 'off';
// The console needs a password: one is made once and kept in .data/, so it survives restarts.
const consolePassword = process.env.CONSOLE_PASSWORD ? null : localSecret(path.join(DATA_DIR, 'console-password'));
if (consolePassword) process.env.CONSOLE_PASSWORD = consolePassword;
process.env.SEARCH_HASH_KEY ||= localSecret(path.join(DATA_DIR, 'search-hash-key'), 32);
if (process.env.PAYLOAD_ENCRYPTION !== 'off') {
  process.env.PAYLOAD_ENCRYPTION_KEYS ||= localSecret(path.join(DATA_DIR, 'payload-encryption-keys'), 32, newPayloadKeyEntry);
}
const codecTokenKept = !process.env.CODEC_TOKEN;
process.env.CODEC_TOKEN ||= localSecret(path.join(DATA_DIR, 'codec-token'), 24);
if (!process.env.TEMPORAL_ADDRESS && !process.env.TEMPORAL_UI_URL) process.env.TEMPORAL_UI_URL = `http://localhost:${DEV_UI_PORT}`;

const config = loadConfigOrExit();
const logger = createLogger('jobrun', config.logLevel);
printStartupWarnings(config, logger);
installTemporalRuntime(logger, config.sdkMetricsAddress);

const stops: Array<() => Promise<void>> = [];
onShutdownSignal(logger, async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}, 45_000);

exitOnFatal(logger, async () => {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.info({ event: 'local.postgres' }, `starting a local Postgres in .data/postgres on port ${LOCAL_PG_PORT}`);
    const pg: LocalPostgres = await startLocalPostgres(path.join(DATA_DIR, 'postgres'), LOCAL_PG_PORT, { durable: true });
    stops.push(() => pg.stop());
    await pg.createDatabase('jobrun');
    databaseUrl = pg.url('jobrun');
  }
  let temporalAddress = config.temporal.address;
  if (!temporalAddress) {
    logger.info({ event: 'local.temporal' }, `starting the Temporal dev server on port ${DEV_TEMPORAL_PORT}`);
    const server: DevServer = await startDevServer({
      port: DEV_TEMPORAL_PORT,
      uiPort: DEV_UI_PORT,
      dbFile: path.join(DATA_DIR, 'temporal', 'temporal.db'),
      logFile: path.join(DATA_DIR, 'temporal', 'server.log'),
      namespace: config.temporal.namespace,
      codecEndpoint: `http://localhost:${config.port}${CODEC_PATH}`,
    });
    stops.push(() => server.stop());
    temporalAddress = server.address;
  }

  // What `npx jobrun setup` does for a deploy: migrations, search attributes.
  const connection = await Connection.connect(temporalConnectionOptions(config, temporalAddress));
  try {
    await setup({ databaseUrl, temporal: connection, namespace: config.temporal.namespace, cloud: Boolean(config.temporal.apiKey), retentionDays: config.retentionDays }, (line) => logger.info({ event: 'setup' }, line));
  } finally {
    await connection.close();
  }

  if (!process.env.WORKFLOW_BUNDLE_PATH) {
    const bundle = path.join(DATA_DIR, 'workflow-bundle.js');
    await firstRunStep('bundling the workflow code', () => buildWorkflowBundle(bundle));
    process.env.WORKFLOW_BUNDLE_PATH = bundle;
  }
  const worker = await startWorker(config, databaseUrl, temporalAddress, logger);
  stops.push(() => worker.shutdown());
  const api = await startApi(config, databaseUrl, temporalAddress, logger);
  stops.push(() => api.close());

  process.stdout.write(
    startBanner(config, {
      apiPort: api.port,
      consolePassword: consolePassword ? `${consolePassword}, kept in .data/console-password` : 'CONSOLE_PASSWORD',
      temporal: config.temporal.address ? { address: temporalAddress } : { webUi: `http://localhost:${DEV_UI_PORT}` },
      codecToken: codecTokenKept ? '$(cat .data/codec-token)' : '$CODEC_TOKEN',
    }),
  );
});
