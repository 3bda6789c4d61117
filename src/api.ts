// `npm run api`: the HTTP API alone, for production. Starts no embedded servers.
import { printStartupWarnings } from './banners';
import { loadConfigOrExit, requireDatabaseUrl, requireTemporalAddress } from './config';
import { createLogger } from './logger';
import { startApi } from './processes/start-api';
import { exitOnFatal, onShutdownSignal } from './processes/signals';

const config = loadConfigOrExit();
const logger = createLogger('api', config.logLevel);
printStartupWarnings(config, logger);

exitOnFatal(logger, async () => {
  const api = await startApi(config, requireDatabaseUrl(config), requireTemporalAddress(config), logger);
  onShutdownSignal(logger, () => api.close());
});
