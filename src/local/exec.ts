import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The first executable called `name` on PATH, or null. */
export function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

export function run(cmd: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env });
  if (r.status !== 0) {
    throw new Error(`${what} failed (${cmd} ${args.join(' ')}): ${(r.stderr || r.stdout || r.error?.message || '').trim().slice(-2000)}`);
  }
}

/** Polls `probe` until it returns a value (not undefined); an error it throws counts as not yet. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms${lastError ? `: ${causes(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** An error's message with its causes' (a Temporal client error says only "Failed to query Workflow"; its cause says why). */
function causes(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e && parts.length < 4; e = e.cause as typeof e) parts.push(String(e.message ?? e));
  return parts.join(': ');
}

/**
 * A slow first-run step (an install, initdb, the migrations, the workflow
 * bundle): said before it starts and timed when it ends, so that a fresh
 * machine's first minutes never look like a hang.
 */
export function firstRunStep<T>(what: string, fn: () => T): T {
  process.stderr.write(`jobrun: ${what}...\n`);
  const started = Date.now();
  const done = () => process.stderr.write(`jobrun: ${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const result = fn();
  if (result instanceof Promise) return result.then((v: unknown) => (done(), v)) as T;
  done();
  return result;
}

/** SIGTERM, then SIGKILL once `graceMs` has passed; resolves when the child is gone. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
