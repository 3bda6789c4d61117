import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Config } from '../config';
import type { Db } from '../db';
import { withTimeout } from '../temporal/client';

type CheckStatus = 'ok' | 'degraded' | 'down';
interface Check {
  status: CheckStatus;
  [detail: string]: unknown;
}

const CHECK_TIMEOUT_MS = 2000;

async function check(fn: () => Promise<Omit<Check, 'status'> & { status?: CheckStatus }>, what: string): Promise<Check> {
  const started = Date.now();
  try {
    const result = await withTimeout(CHECK_TIMEOUT_MS, what, fn);
    return { status: 'ok', ...result, latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', error: (err as Error).message, latencyMs: Date.now() - started };
  }
}

interface HealthDeps {
  config: Config;
  db: Db;
  temporal: Client;
}

/**
 * ok: everything answers. degraded: JobRun still accepts messages but someone
 * should look (no worker polling, alerts disabled). down: messages cannot be
 * accepted or stored. What /health and the console's overview show.
 */
export async function health({ config, db, temporal }: HealthDeps) {
  const encrypted = config.payloadEncryption.mode === 'on';
  const [database, temporalCheck, workers] = await Promise.all([
    check(async () => {
      await db.$queryRaw`SELECT 1`;
      return {};
    }, 'database check'),
    check(async () => {
      await temporal.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      return { namespace: config.temporal.namespace };
    }, 'temporal check'),
    check(async () => {
      const { pollers } = await temporal.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      const count = pollers?.length ?? 0;
      return { status: count > 0 ? 'ok' : 'degraded', taskQueue: config.temporal.taskQueue, pollers: count };
    }, 'worker check'),
  ]);
  const checks = { database, temporal: temporalCheck, workers: workers.status === 'down' ? { ...workers, status: 'degraded' as const } : workers };
  let status: CheckStatus = 'ok';
  if (database.status === 'down' || temporalCheck.status === 'down') status = 'down';
  else if (checks.workers.status !== 'ok' || !config.alerts.enabled || !encrypted) status = 'degraded';
  // The webhook URL often carries a token: /health says only whether alerts are on and why.
  return {
    status,
    checks,
    alerts: { enabled: config.alerts.enabled, reason: config.alerts.reason },
    payloadEncryption: encrypted
      ? { enabled: true, reason: 'payloads are encrypted before they reach Temporal (PAYLOAD_ENCRYPTION_KEYS)' }
      : { enabled: false, reason: 'PAYLOAD_ENCRYPTION=off: Temporal holds customers\' numbers and texts in clear' },
  };
}

export type Health = Awaited<ReturnType<typeof health>>;

export function healthRoute(deps: HealthDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const report = await health(deps);
    res.status(report.status === 'down' ? 503 : 200).json(report);
  });
  return router;
}
