// Builds the workflow bundle once: production and the tests load it prebuilt
// (WORKFLOW_BUNDLE_PATH) instead of bundling at every worker start.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH, IGNORED_MODULES, WORKFLOWS_PATH } from './bundle';

export async function buildWorkflowBundle(outFile: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ignoreModules: IGNORED_MODULES,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? path.join('dist', 'workflow-bundle.js'));
  buildWorkflowBundle(out).then(
    () => process.stdout.write(`workflow bundle written to ${out}\n`),
    (err: unknown) => {
      process.stderr.write(`jobrun: cannot build the workflow bundle: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
