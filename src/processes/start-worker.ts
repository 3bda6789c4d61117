import type { Worker } from '@temporalio/worker';
import { requirePayloadEncryption, type Config } from '../config';
import { createDb } from '../db';
import type { Logger } from '../logger';
import { metricsForProcess } from '../metrics';
import { createOpenAiQualifier } from '../qualification/openai';
import { createTemporalClient } from '../temporal/client';
import { createStarts } from '../temporal/starts';
import { assertSearchAttributesRegistered } from '../temporal/search-attributes-check';
import { createWorker } from '../temporal/create-worker';
import { createTwilioLog } from '../twilio/account-log';
import { createTwilioClient } from '../twilio/client';
import { createCallTransport } from '../twilio/call-transport';
import { createSmsTransport } from '../twilio/sms-transport';
import { createNumberWebhooks, wantedWebhooks } from '../twilio/number-webhooks';
import { ensureDigestSchedule, ensureNumberCheckSchedule, ensureRecoverySchedule, ensureRetentionSchedule, pauseNumberCheckSchedule, pauseRecoverySchedule } from '../temporal/schedules';

interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped polling and finished in-flight work. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(config: Config, databaseUrl: string, temporalAddress: string, logger: Logger): Promise<RunningWorker> {
  requirePayloadEncryption(config);
  const db = createDb(databaseUrl, config.databaseStatementTimeoutMs);
  const temporal = createTemporalClient(config, temporalAddress);
  await assertSearchAttributesRegistered(temporal, config.temporal.namespace);
  const twilioLog = config.twilio.accountSid ? createTwilioLog(createTwilioClient(config.twilio)) : null;
  const { worker, connection } = await createWorker({
    address: temporalAddress,
    bundlePath: process.env.WORKFLOW_BUNDLE_PATH || undefined,
    deps: {
      db,
      sms: createSmsTransport(config.twilio),
      calls: createCallTransport(config.twilio),
      ai: config.openai.apiKey ? createOpenAiQualifier(config.openai) : null,
      twilioLog,
      numberWebhooks: config.twilio.accountSid ? createNumberWebhooks(createTwilioClient(config.twilio), wantedWebhooks(config.publicBaseUrl, config.fallbackBaseUrl)) : null,
      temporal,
      starts: createStarts(temporal, { taskQueue: config.temporal.taskQueue, settleMs: config.conversationSettleMs, hashKey: config.searchHashKey }),
      config,
      logger,
      metrics: metricsForProcess(),
    },
  });
  if (twilioLog) {
    const schedule = await ensureRecoverySchedule(temporal, { taskQueue: config.temporal.taskQueue, intervalMs: config.recovery.intervalMs });
    logger.info({ event: 'recovery.schedule', schedule, intervalMs: config.recovery.intervalMs }, `recovery from Twilio's log every ${config.recovery.intervalMs / 1000} s`);
  } else {
    await pauseRecoverySchedule(temporal, config.temporal.taskQueue);
    logger.warn({ event: 'recovery.off' }, "recovery from Twilio's log is off: no Twilio credentials (local outbox)");
  }
  await ensureDigestSchedule(temporal, { taskQueue: config.temporal.taskQueue, ...config.digest });
  await ensureRetentionSchedule(temporal, config.temporal.taskQueue, config.retentionDays);
  if (config.twilio.accountSid) await ensureNumberCheckSchedule(temporal, config.temporal.taskQueue);
  else await pauseNumberCheckSchedule(temporal, config.temporal.taskQueue);
  const done = worker.run().finally(async () => {
    await Promise.allSettled([connection.close(), temporal.connection.close(), db.$disconnect()]);
  });
  logger.info(
    { event: 'worker.running', taskQueue: config.temporal.taskQueue, ai: config.openai.apiKey ? 'openai' : 'rules' },
    `JobRun worker polling task queue ${config.temporal.taskQueue}`,
  );
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
