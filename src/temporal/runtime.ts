import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The SDK's own log lines go through pino too (one JSON object a line), and
 * shutdown is ours to drive, so the SDK installs no signal handlers.
 */
export function installTemporalRuntime(logger: Logger, sdkMetricsAddress?: string): void {
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    shutdownSignals: [],
    // The worker's own metrics (task slots, poll latency, schedule-to-start...) in Prometheus form.
    ...(sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } } : {}),
    logger: new DefaultLogger('INFO', (entry) => {
      sdkLogger[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
