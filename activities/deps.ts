import { Context } from '@temporalio/activity';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Config } from '../src/config';
import type { Db } from '../src/db';
import type { Logger } from '../src/logger';
import type { Metrics } from '../src/metrics';
import type { AiQualifier } from '../src/qualification/openai';
import type { Starts } from '../src/temporal/starts';
import type { TwilioLog } from '../src/twilio/account-log';
import type { CallTransport } from '../src/twilio/call-transport';
import type { NumberWebhooks } from '../src/twilio/number-webhooks';
import type { SmsTransport } from '../src/twilio/sms-transport';

/** The outside world, handed in by the worker (real clients) or a test (clients aimed at fakes). */
export interface ActivityDeps {
  db: Db;
  sms: SmsTransport;
  calls: CallTransport;
  /** Null without OPENAI_API_KEY: the rules engine holds every conversation. */
  ai: AiQualifier | null;
  /** Null without Twilio credentials (the local outbox): there is no log to recover from. */
  twilioLog: TwilioLog | null;
  /** Null without Twilio credentials: the account's numbers and where they point. */
  numberWebhooks: NumberWebhooks | null;
  /** For reads (is a workflow there?); starts and signals go through `starts`. */
  temporal: TemporalClient;
  starts: Starts;
  config: Config;
  logger: Logger;
  metrics: Metrics;
}

/** A log line about a message carries its workflow ID as the correlation ID. */
export function activityLogger(logger: Logger): Logger {
  const info = Context.current().info;
  return logger.child({
    workflowId: currentWorkflowId(),
    activity: info.activityType,
    attempt: info.attempt,
  });
}

/** The workflow the running activity belongs to: the base of idempotency keys and log correlation. */
export function currentWorkflowId(): string {
  return Context.current().info.workflowExecution?.workflowId ?? 'standalone-activity';
}
