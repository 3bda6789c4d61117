// A time-skipping Temporal test server with an in-process worker running the
// real activities against the suite's Postgres and a fake Twilio at the wire.
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { loadConfig } from '../../src/config';
import { createDb, type Db } from '../../src/db';
import { ensureTemporalBinary } from '../../src/local/temporal';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { createTwilioTransport } from '../../src/twilio/sms-transport';
import { FakeTwilio } from './fake-twilio';
import { ACCOUNT_SID, AUTH_TOKEN, testEnv } from './system';

export interface TimeSkippingRig {
  env: TestWorkflowEnvironment;
  worker: Worker;
  twilio: FakeTwilio;
  db: Db;
  taskQueue: string;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

export async function startTimeSkippingRig(): Promise<TimeSkippingRig> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const path = process.env.TEMPORAL_TEST_SERVER_PATH ?? (await ensureTemporalBinary('temporal-test-server'));
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  const twilio = await new FakeTwilio().start();
  const taskQueue = `ts-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: testEnv('JOBRUN_TEST_DATABASE_URL'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: twilio.url,
    FOUNDER_PHONE: '+447700900999',
    SYSTEM_SMS_NUMBER: '+447700900998',
  });
  const db = createDb(config.databaseUrl!);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv('WORKFLOW_BUNDLE_PATH') },
    activities: createActivities({
      db,
      sms: createTwilioTransport(config.twilio),
      ai: null,
      temporal: env.client,
      config,
      logger: createLogger('time-skipping', 'silent'),
      metrics: createMetrics(),
    }),
  });
  return {
    env,
    worker,
    twilio,
    db,
    taskQueue,
    async stop() {
      await Promise.allSettled([twilio.stop(), db.$disconnect()]);
      await env.teardown();
    },
  };
}
