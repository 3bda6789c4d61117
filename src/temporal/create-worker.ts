import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { IGNORED_MODULES, WORKFLOWS_PATH } from './bundle';
import { temporalDataConverter } from './client';
import { temporalConnectionOptions } from './connection-options';

interface WorkerSetup {
  address: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (npm run build); without it the worker bundles at start. */
  bundlePath?: string;
}

export async function createWorker({ address, deps, bundlePath }: WorkerSetup): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { config } = deps;
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, address));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataConverter: temporalDataConverter(config),
    ...(bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { ignoreModules: IGNORED_MODULES } }),
    activities: createActivities(deps),
    shutdownGraceTime: '20s',
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
  });
  return { worker, connection };
}
