// Open-loop load at a fixed rate: requests leave on schedule whatever the
// server does, so a slow server shows up as latency and errors, not as a
// politely lower rate.
import { readFileSync } from 'node:fs';

export interface RunResult {
  offeredRps: number;
  seconds: number;
  sent: number;
  ok: number;
  errors: number;
  achievedRps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function constantRate(rps: number, seconds: number, fire: (i: number) => Promise<Response>): Promise<RunResult> {
  const total = Math.round(rps * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      fire(i).then(
        async (res) => {
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status === 200) ok += 1;
          else errors += 1;
        },
        () => {
          latencies.push(performance.now() - t0);
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    offeredRps: rps,
    seconds,
    sent: total,
    ok,
    errors,
    achievedRps: Math.round((ok / elapsed) * 10) / 10,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? NaN),
  };
}

export const round = (n: number) => Math.round(n * 10) / 10;

/** Peak resident memory of a process so far (VmHWM), in MB. */
export function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}
