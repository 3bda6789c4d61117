// Recorded histories replayed against today's workflow code: a change that
// would break running workflows (non-determinism) fails here, before it ships.
// Record more with: temporal workflow show -w <id> --output json > test/histories/<name>.json
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { SUITE_PAYLOAD_KEYS, sealingConverter, testEnv } from '../support/system';

const DIR = path.join(__dirname, '..', 'histories');
Runtime.install({ logger: new DefaultLogger('WARN') });

test('every recorded history replays without non-determinism', async () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 3, 'the recorded histories are present');
  const sealed = files.filter((f) => readFileSync(path.join(DIR, f), 'utf8').includes(Buffer.from('binary/encrypted').toString('base64')));
  assert.ok(sealed.length >= 2 && sealed.length < files.length, 'histories sealed by the codec and histories from before it are both replayed');
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, f), 'utf8'))),
  }));
  const failures: string[] = [];
  // Histories recorded before encryption are in clear and pass through the codec; later ones are sealed with the suite's keys.
  const dataConverter = sealingConverter(SUITE_PAYLOAD_KEYS);
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: testEnv('WORKFLOW_BUNDLE_PATH') }, dataConverter }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  assert.deepEqual(failures, []);
});
