// `npm run worker`: the Temporal worker alone, for production. Starts no embedded servers.
import { printStartupWarnings } from './banners';
import { loadConfigOrExit, requireDatabaseUrl, requireTemporalAddress } from './config';
import { createLogger } from './logger';
import { installTemporalRuntime } from './temporal/runtime';
import { exitOnFatal, onShutdownSignal } from './processes/signals';
import { startWorker } from './processes/start-worker';
import { serveMetrics } from './processes/metrics-server';
import { metricsForProcess } from './metrics';

const config = loadConfigOrExit();
const logger = createLogger('worker', config.logLevel);
printStartupWarnings(config, logger);
installTemporalRuntime(logger, config.sdkMetricsAddress);

exitOnFatal(logger, async () => {
  const worker = await startWorker(config, requireDatabaseUrl(config), requireTemporalAddress(config), logger);
  const metricsServer = config.workerMetricsPort ? await serveMetrics(metricsForProcess(), config.workerMetricsPort, config.metricsToken) : undefined;
  onShutdownSignal(logger, async () => {
    metricsServer?.close();
    await worker.shutdown();
  });
  await worker.done;
});
