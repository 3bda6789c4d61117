import type { Client } from '@temporalio/client';
import express from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './logger';
import { metricsAllowed, type Metrics } from './metrics';
import { consoleRouter } from './console/router';
import { codecRoute } from './routes/codec';
import { healthRoute } from './routes/health';
import { callStatusRoute } from './routes/call-status';
import { escalationCallRoute } from './routes/escalation-call';
import { messageStatusRoute } from './routes/message-status';
import { smsRoute } from './routes/sms';
import { voiceRoute } from './routes/voice';
import type { CallResolver } from './numbers/call-resolver';
import type { Starts } from './temporal/starts';

interface AppDeps {
  config: Config;
  /** /health asks Temporal directly; every start and signal goes through `starts`. */
  temporal: Client;
  starts: Starts;
  db: Db;
  metrics: Metrics;
  logger: Logger;
  resolveCall: CallResolver;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  // The console's headers (helmet's defaults) on every answer; http stays http for a local console.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': deps.config.publicBaseUrl.startsWith('https:') ? [] : null } },
      strictTransportSecurity: deps.config.publicBaseUrl.startsWith('https:'),
    }),
  );
  app.use(smsRoute(deps));
  app.use(messageStatusRoute(deps));
  app.use(voiceRoute(deps));
  app.use(callStatusRoute(deps));
  app.use(escalationCallRoute(deps));
  app.use(healthRoute(deps));
  const codec = codecRoute(deps);
  if (codec) app.use(codec);
  const consoleRoutes = consoleRouter(deps);
  if (consoleRoutes) app.use(consoleRoutes);
  app.get('/metrics', async (req, res) => {
    if (!metricsAllowed(deps.config.metricsToken, req.header('authorization'))) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('metrics need Authorization: Bearer $METRICS_TOKEN\n');
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found\n');
  });
  // A body that cannot be parsed is the sender's mistake: say so plainly, change nothing.
  app.use((err: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) deps.logger.error({ event: 'http.error', error: err.message }, 'unhandled error');
    res.status(status).type('text/plain').send(status === 500 ? 'internal error\n' : `bad request: ${err.message ?? 'unreadable body'}\n`);
  });
  return app;
}
