// A Postgres of JobRun's own under .data/, for `npm start` and `npm test`
// when no DATABASE_URL is given. Debian's packages put the server binaries
// outside PATH; as root they must run as the postgres user.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { firstRunStep, isRoot, run, waitFor, which } from './exec';

export interface LocalPostgres {
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const fromPath = which('pg_ctl');
  if (fromPath) return path.dirname(fromPath);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function ensureInstalled(): string {
  let bin = findBinDir();
  if (!bin && isRoot && which('apt-get')) {
    firstRunStep('installing PostgreSQL (apt-get install postgresql)', () => {
      run('apt-get', ['update', '-qq'], 'apt-get update');
      run('apt-get', ['install', '-y', '-qq', 'postgresql'], 'installing postgresql', { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
    });
    bin = findBinDir();
  }
  if (!bin) throw new Error('PostgreSQL is not installed: install it (Debian: apt-get install postgresql) or set DATABASE_URL');
  return bin;
}

/** Runs a server binary as the postgres user when we are root (initdb refuses root). */
function asOwner(bin: string, args: string[], what: string): void {
  if (isRoot) run('runuser', ['-u', 'postgres', '--', bin, ...args], what);
  else run(bin, args, what);
}

/**
 * As root the server runs as the postgres user, which cannot enter a clone
 * under /root: the cluster then lives in the temp directory instead.
 */
function reachableDataDir(wanted: string): string {
  mkdirSync(wanted, { recursive: true });
  if (!isRoot) return wanted;
  try {
    run('runuser', ['-u', 'postgres', '--', 'test', '-x', wanted], 'checking access');
    return wanted;
  } catch {
    const hash = createHash('sha1').update(wanted).digest('hex').slice(0, 10);
    return path.join(os.tmpdir(), `jobrun-pg-${hash}`);
  }
}

interface LocalPostgresOptions {
  /** fsync off: for throwaway test clusters only. */
  durable: boolean;
}

export async function startLocalPostgres(wantedDir: string, port: number, opts: LocalPostgresOptions): Promise<LocalPostgres> {
  const bin = ensureInstalled();
  const dataDir = reachableDataDir(wantedDir);
  // Unix socket paths are limited to about 100 bytes: keep it short, whatever the clone's path.
  const socketDir = path.join(os.tmpdir(), `jobrun-pg-sock-${port}`);
  const pgData = path.join(dataDir, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(socketDir, { recursive: true });
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dataDir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    firstRunStep(`creating a database cluster in ${pgData} (initdb)`, () => asOwner(path.join(bin, 'initdb'), ['-D', pgData, '-U', 'jobrun', '--auth=trust', '-E', 'UTF8', '--no-sync'], 'initdb'));
  }
  const pgCtl = path.join(bin, 'pg_ctl');
  // A server left behind by a killed run is ours: stop it and start afresh with our options.
  if (existsSync(path.join(pgData, 'postmaster.pid'))) {
    try {
      asOwner(pgCtl, ['-D', pgData, '-m', 'fast', '-w', 'stop'], 'stopping a leftover postgres');
    } catch {
      // Not running after all (a stale pid file): pg_ctl start copes with that.
    }
  }
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200${opts.durable ? '' : ' -c fsync=off -c synchronous_commit=off'}`;
  asOwner(pgCtl, ['-D', pgData, '-o', options, '-l', path.join(dataDir, 'postgres.log'), '-w', '-t', '60', 'start'], 'starting postgres');
  const url = (database: string) => `postgresql://jobrun@127.0.0.1:${port}/${database}`;
  await waitFor('postgres', 30_000, async () => {
    const c = new pg.Client({ connectionString: url('postgres') });
    await c.connect();
    await c.end();
    return true;
  });
  return {
    url,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      try {
        const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!rowCount) await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
    },
    async stop() {
      asOwner(pgCtl, ['-D', pgData, '-m', 'fast', '-w', 'stop'], 'stopping postgres');
    },
  };
}
