// The real workflow bundle on Temporal's time-skipping test server, with
// every activity replaced by the recording stubs each test gives it.
import { randomBytes } from 'node:crypto';
import type { Client, WorkflowSignalWithStartInput, WorkflowStartInput, WorkflowStartOutput } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { ensureTemporalBinary } from '../../src/local/temporal';
import { createStarts, type Starts } from '../../src/temporal/starts';
import { REQUIRED_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { testEnv } from './system';
import { StubbedActivities } from './stub-activities';

let runtimeInstalled = false;

/** The SDK's own log lines at ERROR only (failing activities are the point of many tests), once per process. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

export interface WorkflowRig {
  env: TestWorkflowEnvironment;
  /**
   * Runs `fn` with `activities` standing in for JobRun's. `starts` starts and
   * signals workflows the way the API and the activities do (no ordering
   * window unless `settleMs` is given); start others through `client` (whose
   * result() skips time) on `taskQueue`. Every workflow started here calls
   * these stubs for as long as it runs, even after `fn` returns.
   */
  withStubs<T>(activities: StubbedActivities, fn: (on: { starts: Starts; client: Client; taskQueue: string }) => Promise<T>, opts?: { settleMs?: number }): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The time-skipping test server by default. `devServer`: the dev server
 * instead (which has no time skipping, and answers queries as a real one
 * does); `suggestContinueAsNewAt`: one that suggests continue-as-new once a
 * history has that many events, as a real one does at 4,096.
 *
 * One worker serves the whole file (creating one costs about half a second).
 * Its activities call the stubs of the test that started the workflow, known
 * by workflow ID; workflows a test leaves running go on against its stubs
 * when a later test skips time, and change nothing the later test looks at.
 */
export async function startWorkflowRig(opts: { devServer?: boolean; suggestContinueAsNewAt?: number } = {}): Promise<WorkflowRig> {
  quietRuntime();
  let current = new StubbedActivities();
  const owner = new Map<string, StubbedActivities>();
  const claim = (workflowId: string) => {
    if (!owner.has(workflowId)) owner.set(workflowId, current);
  };
  const client = {
    interceptors: {
      workflow: [
        {
          startWithDetails: (input: WorkflowStartInput, next: (i: WorkflowStartInput) => Promise<WorkflowStartOutput>) => (claim(input.options.workflowId), next(input)),
          signalWithStart: (input: WorkflowSignalWithStartInput, next: (i: WorkflowSignalWithStartInput) => Promise<string>) => (claim(input.options.workflowId), next(input)),
        },
      ],
    },
  };
  const env = opts.devServer || opts.suggestContinueAsNewAt
    ? await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: await ensureTemporalBinary('temporal') },
          extraArgs: opts.suggestContinueAsNewAt ? ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${opts.suggestContinueAsNewAt}`] : [],
        },
        client,
      })
    : await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH ?? (await ensureTemporalBinary('temporal-test-server')) } },
        client,
      });
  await registerSearchAttributes(env);

  const taskQueue = `wf-${randomBytes(4).toString('hex')}`;
  const dispatch = Object.fromEntries(
    Object.keys(current.implementations).map((name) => [
      name,
      (input: never) => {
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        const stubs = owner.get(workflowId) ?? current;
        return (stubs.implementations as Record<string, (i: never) => Promise<unknown>>)[name]!(input);
      },
    ]),
  );
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: { codePath: testEnv('WORKFLOW_BUNDLE_PATH') }, activities: dispatch });
  const running = worker.run();

  return {
    env,
    async withStubs(activities, fn, opts = {}) {
      current = activities;
      return fn({ starts: createStarts(env.client, { taskQueue, settleMs: opts.settleMs ?? 0 }), client: env.client, taskQueue });
    },
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** JobRun's search attributes, as `jobrun` registers them on a real namespace. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const KEYWORD = 2; // INDEXED_VALUE_TYPE_KEYWORD
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(REQUIRED_SEARCH_ATTRIBUTES.map((sa) => [sa.name, KEYWORD])),
  });
}
