import type { Server } from 'node:http';
import { createApp } from '../app';
import { requirePayloadEncryption, type Config } from '../config';
import { createDb } from '../db';
import type { Logger } from '../logger';
import { metricsForProcess } from '../metrics';
import { createCallResolver } from '../numbers/call-resolver';
import { createTemporalClient } from '../temporal/client';
import { createStarts } from '../temporal/starts';

interface RunningApi {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startApi(config: Config, databaseUrl: string, temporalAddress: string, logger: Logger): Promise<RunningApi> {
  requirePayloadEncryption(config);
  // The API only reads the database (/health, a called number's role): a small pool.
  const db = createDb(databaseUrl, config.databaseStatementTimeoutMs, 5);
  const temporal = createTemporalClient(config, temporalAddress);
  const starts = createStarts(temporal, { taskQueue: config.temporal.taskQueue, settleMs: config.conversationSettleMs, hashKey: config.searchHashKey });
  const app = createApp({ config, temporal, starts, db, metrics: metricsForProcess(), logger, resolveCall: createCallResolver(db, logger) });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ event: 'api.listening', port, publicBaseUrl: config.publicBaseUrl }, `JobRun API listening on http://localhost:${port}`);
  return {
    server,
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([temporal.connection.close(), db.$disconnect()]);
    },
  };
}
