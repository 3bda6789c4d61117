#!/usr/bin/env node
// `npm start`, `npm test` and `npm run test:cluster` on a fresh clone:
// install what is missing (dependencies, the generated Prisma client), then
// hand over to the TypeScript entry point. Plain JavaScript because nothing
// else exists yet.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entries = { start: 'src/start.ts', test: 'test/run.ts', 'test:cluster': 'test/cluster/run.ts' };
const [command, ...rest] = process.argv.slice(2);
const entry = entries[command];
if (!entry) {
  process.stderr.write(`usage: bootstrap.js ${Object.keys(entries).join('|')}\n`);
  process.exit(64);
}

function needsInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000;
}

function must(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`jobrun: ${what} failed\n`);
    process.exit(r.status || 1);
  }
}

if (needsInstall()) {
  process.stderr.write('jobrun: installing dependencies (npm ci)...\n');
  must('npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
} else if (!existsSync(path.join(root, 'src', 'generated', 'prisma', 'client.ts'))) {
  must(process.execPath, [path.join(__dirname, 'prisma-generate.js')], 'prisma generate');
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry), ...rest], { cwd: root, stdio: 'inherit' });
// Ctrl-C already reaches the child through the terminal's process group; a
// second SIGINT from here would read as "force quit".
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
