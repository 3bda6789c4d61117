import { ConfigError } from '../config';
import type { Logger } from '../logger';

/**
 * SIGINT/SIGTERM run `stop` once, bounded, then exit 0. A signal repeated
 * seconds later exits at once; one arriving together with the first (the
 * process group and a parent both forwarding it) is the same request.
 */
export function onShutdownSignal(logger: Logger, stop: () => Promise<void>, boundMs = 30_000): void {
  let stopping = false;
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping && Date.now() - firstAt < 2000) return;
    if (stopping) {
      logger.warn({ event: 'shutdown.forced', signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    firstAt = Date.now();
    logger.info({ event: 'shutdown.started', signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ event: 'shutdown.timeout', boundMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, boundMs);
    timer.unref();
    stop().then(
      () => {
        logger.info({ event: 'shutdown.done' }, 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ event: 'shutdown.failed', error: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** A start-up failure ends the process with one clear line, never a hang. */
export function exitOnFatal(logger: Logger, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`jobrun: bad configuration: ${err.message}\n`);
      process.exit(78);
    }
    logger.fatal({ event: 'fatal', error: (err as Error).message, stack: (err as Error).stack }, 'fatal error');
    process.exit(1);
  });
}
