// The Temporal server docker-compose.yml runs, without Docker: built from its
// Go module at the version compose pins (cached under .data/cluster by
// version), its schema set up by deploy/temporal/setup-schema.sh, started as
// the image starts it (`temporal-server start`) with deploy/temporal/config.yaml.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { execFileAsync, stopChild, waitFor, which } from '../../src/local/exec';

const ROOT = path.join(__dirname, '..', '..');
export const CLUSTER_DATA = path.join(ROOT, '.data', 'cluster');
const DEPLOY = path.join(ROOT, 'deploy', 'temporal');

export interface ImageTags {
  server: string;
  adminTools: string;
  ui: string;
}

/** The tags docker-compose.yml gives temporalio/server, admin-tools and ui (each pinned once). */
export function composeImageTags(): ImageTags {
  const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const tag = (image: string) => {
    const tags = new Set([...compose.matchAll(new RegExp(`image: temporalio/${image}:(\\S+)`, 'g'))].map((m) => m[1]!));
    if (tags.size !== 1) throw new Error(`docker-compose.yml should pin temporalio/${image} to one tag; it has ${[...tags].join(', ') || 'none'}`);
    return [...tags][0]!;
  };
  return { server: tag('server'), adminTools: tag('admin-tools'), ui: tag('ui') };
}

/** What `temporal --version` says its dev server embeds: "temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)". */
export async function devServerVersions(cli: string): Promise<{ server: string; ui: string }> {
  const { stdout } = await execFileAsync(cli, ['--version']);
  const m = /Server (\S+), UI ([^)\s]+)/.exec(stdout);
  if (!m) throw new Error(`cannot read the server and UI versions from "${stdout.trim()}"`);
  return { server: m[1]!, ui: m[2]! };
}

export interface TemporalBuild {
  version: string;
  binDir: string;
  /** How long the build took when it was made (this run, or the run that cached it). */
  buildSeconds: number;
  cached: boolean;
}

function findGo(): string {
  const go = which('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) throw new Error('Go is not installed: the cluster run builds the Temporal server from source (Go 1.21+ fetches the toolchain the module needs)');
  return go;
}

async function runLogged(cmd: string, args: string[], opts: { cwd?: string; env: NodeJS.ProcessEnv; log: string; what: string }): Promise<void> {
  const out = openSync(opts.log, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`${opts.what} failed (exit ${code}); see ${opts.log}`);
}

/**
 * temporal-server and temporal-sql-tool at `version`, with its Postgres
 * schema files, built once into .data/cluster/temporal-<version>/ and reused after. The module and build
 * caches are the run's own (.data/cluster/go, removed after a build), so a
 * clean clone's build is a cold one and its time is what CI pays.
 */
export async function ensureTemporalBuild(version: string, say: (line: string) => void): Promise<TemporalBuild> {
  const dir = path.join(CLUSTER_DATA, `temporal-${version}`);
  const stamp = path.join(dir, 'build.json');
  if (existsSync(stamp)) {
    const { seconds } = JSON.parse(readFileSync(stamp, 'utf8')) as { seconds: number };
    return { version, binDir: dir, buildSeconds: seconds, cached: true };
  }
  const go = findGo();
  const log = path.join(CLUSTER_DATA, `temporal-${version}-build.log`);
  mkdirSync(CLUSTER_DATA, { recursive: true });
  rmSync(log, { force: true });
  say(`building go.temporal.io/server@v${version} (cmd/server, cmd/tools/sql) from the Go module proxy; log: ${path.relative(ROOT, log)}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOMODCACHE: path.join(CLUSTER_DATA, 'go', 'mod'),
    GOCACHE: path.join(CLUSTER_DATA, 'go', 'cache'),
    // Writable module files, so that .data can be deleted with rm -rf.
    GOFLAGS: '-modcacherw -buildvcs=false',
    // The release binaries are static; so is this build.
    CGO_ENABLED: '0',
    // The module names the Go it needs; a machine with an older one fetches that toolchain from the proxy.
    GOTOOLCHAIN: 'auto',
  };
  const started = Date.now();
  const { stdout } = await execFileAsync(go, ['mod', 'download', '-json', `go.temporal.io/server@v${version}`], { env, maxBuffer: 1 << 20 });
  const source = (JSON.parse(stdout) as { Dir: string }).Dir;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  // The tags of temporal's own Makefile; -p 2 leaves the machine usable.
  await runLogged(go, ['build', '-p', '2', '-tags', 'disable_grpc_modules', '-o', `${building}/`, './cmd/server', './cmd/tools/sql'], { cwd: source, env, log, what: 'building the Temporal server' });
  renameSync(path.join(building, 'server'), path.join(building, 'temporal-server'));
  renameSync(path.join(building, 'sql'), path.join(building, 'temporal-sql-tool'));
  // The versioned schema files, laid out as admin-tools has them in /etc/temporal/schema.
  cpSync(path.join(source, 'schema', 'postgresql'), path.join(building, 'schema', 'postgresql'), { recursive: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(path.join(building, 'build.json'), `${JSON.stringify({ version, seconds, builtAt: new Date().toISOString() })}\n`);
  // Whole or not at all: a build killed half-way leaves no cache behind.
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  // The module and build caches (over 3 GB) would serve only the next build, which a new version makes mostly cold anyway.
  rmSync(path.join(CLUSTER_DATA, 'go'), { recursive: true, force: true });
  return { version, binDir: dir, buildSeconds: seconds, cached: false };
}

/** Runs one of deploy/temporal's scripts, as compose's admin-tools jobs run them, with the built tools and the CLI first on PATH. */
export async function runDeployScript(script: 'setup-schema.sh' | 'create-namespace.sh', env: Record<string, string>, toolDirs: string[], log: string): Promise<void> {
  await runLogged('sh', [path.join(DEPLOY, script)], {
    env: { ...process.env, ...env, PATH: [...toolDirs, process.env.PATH ?? ''].join(path.delimiter) },
    log,
    what: `deploy/temporal/${script}`,
  });
}

export interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** The first of four membership ports (frontend, history, matching, worker). */
  membership: number;
}

export interface TemporalServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The variables the image's configuration reads, for a server on loopback over the given Postgres. */
export function serverEnv(postgres: { host: string; port: number; user: string; password: string }, ports: ServerPorts): Record<string, string> {
  return {
    DB: 'postgres12',
    POSTGRES_SEEDS: postgres.host,
    DB_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PWD: postgres.password,
    BIND_ON_IP: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    HISTORY_GRPC_PORT: String(ports.history),
    MATCHING_GRPC_PORT: String(ports.matching),
    WORKER_GRPC_PORT: String(ports.worker),
    FRONTEND_MEMBERSHIP_PORT: String(ports.membership),
    HISTORY_MEMBERSHIP_PORT: String(ports.membership + 1),
    MATCHING_MEMBERSHIP_PORT: String(ports.membership + 2),
    WORKER_MEMBERSHIP_PORT: String(ports.membership + 3),
    TEMPORAL_SERVER_CONFIG_FILE_PATH: path.join(DEPLOY, 'config.yaml'),
    DYNAMIC_CONFIG_FILE_PATH: path.join(DEPLOY, 'dynamicconfig.yaml'),
    LOG_LEVEL: 'warn',
    // No authorizer, on purpose: the frontend is reached only from the deploy's own network (compose sets the same).
    TEMPORAL_ALLOW_NO_AUTH: 'true',
  };
}

/** Whether something accepts connections on the port (on loopback). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `temporal-server start`, as the image's entrypoint runs it; resolves once the frontend answers. */
export async function startTemporalServer(build: TemporalBuild, env: Record<string, string>, logFile: string): Promise<TemporalServer> {
  // Else the wait below would be answered by whatever holds the port, a server left by a killed run among them.
  if (await listening(Number(env.FRONTEND_GRPC_PORT))) throw new Error(`port ${env.FRONTEND_GRPC_PORT} is taken (a temporal-server left by an earlier run?): stop it first`);
  const log = openSync(logFile, 'a');
  const child = spawn(path.join(build.binDir, 'temporal-server'), ['start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const address = `127.0.0.1:${env.FRONTEND_GRPC_PORT}`;
  await waitFor(`Temporal server on ${address} (log: ${logFile})`, 120_000, async () => {
    if (exited) throw new Error(`temporal-server exited with ${child.exitCode}; see ${logFile}`);
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  }, 500);
  return {
    address,
    process: child,
    stop: () => stopChild(child, 20_000),
  };
}
