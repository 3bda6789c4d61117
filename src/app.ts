import type { Client } from '@temporalio/client';
import express from 'express';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { healthRoute } from './routes/health';
import { smsRoute } from './routes/sms';

export interface AppDeps {
  config: Config;
  temporal: Client;
  db: Db;
  metrics: Metrics;
  logger: Logger;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(smsRoute(deps));
  app.use(healthRoute(deps));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found\n');
  });
  return app;
}
