/**
 * Pieces of the server benchmark (server.ts): child processes (server, baselines, an own redis-server) and
 * one measured step of open-loop load.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { freePort } from '@granary/services';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { attack, cpuSeconds } from '../lib/vegeta.ts';

/** Starts a child process and resolves with its base URL once it prints one. */
export function startChild(
  args: string[],
  cwd: string,
  pattern: RegExp,
  env: Readonly<Record<string, string>> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += String(chunk);
      const m = pattern.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += String(c);
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before listening:\n${out}`)));
    setTimeout(() => reject(new Error(`child did not listen within 30 s:\n${out}`)), 30_000).unref();
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
}

/**
 * A redis-server of the benchmark's own (no persistence, spare port), so other work on the shared test Redis
 * neither slows the run nor is slowed by it; it inherits the benchmark's scheduling priority.
 */
export async function startOwnRedis(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused until the server is up: retried below
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return { child, url };
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('redis-server did not answer PING within 10 s (is redis-server installed?)');
}

/** One measured window at a fixed arrival rate. */
export interface Step {
  readonly workload: string;
  readonly offeredPerSec: number;
  readonly achievedPerSec: number;
  readonly completed: number;
  readonly scheduled: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** p99 of the time from sending to the answer (excludes the generator's own send delay). */
  readonly serviceP99Ms: number;
  /** p99 of how late the generator sent requests (its own stalls). */
  readonly sendLagP99Ms: number;
  /** CPU the server (or baseline) process used during the window, in percent of one core. */
  readonly serverCpuPercent: number;
  readonly sustained: boolean;
  /** The machine's 1-minute load average after the step (2 cores: above 2 means other work competed). */
  readonly loadAvg1m: number;
}

/** How to run a step: the Vegeta binary, a scratch directory, the measured process and the window. */
export interface StepContext {
  readonly vegeta: string;
  readonly dir: string;
  /** The process whose CPU time is reported (the server or a baseline). */
  readonly pid: number | undefined;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** A step is sustained only below this p99. */
  readonly p99LimitMs: number;
}

/** One step: a warm-up, then a measured window at `rate` requests/s. */
export async function measureStep(
  workload: string,
  targetsFile: string,
  url: string,
  ctx: StepContext,
  rate: number,
): Promise<Step> {
  const base = { binary: ctx.vegeta, targetsFile, ratePerSec: rate, dir: ctx.dir };
  await attack({ ...base, durationMs: ctx.warmupMs });
  const cpuBefore = ctx.pid === undefined ? 0 : cpuSeconds(ctx.pid);
  const r = await attack({ ...base, durationMs: ctx.windowMs });
  const cpu = ctx.pid === undefined ? 0 : cpuSeconds(ctx.pid) - cpuBefore;
  await settle(url);
  const achieved = (r.completed - r.errors) / Math.max(r.elapsedSec, ctx.windowMs / 1000);
  const sustained =
    r.errors === 0 &&
    r.elapsedSec <= ctx.windowMs / 1000 + 1 &&
    r.completed >= 0.99 * r.scheduled &&
    r.latency.p99Ms < ctx.p99LimitMs;
  const step: Step = {
    workload,
    offeredPerSec: rate,
    achievedPerSec: Math.round(achieved),
    completed: r.completed,
    scheduled: r.scheduled,
    errors: r.errors,
    p50Ms: r.latency.p50Ms,
    p99Ms: r.latency.p99Ms,
    p999Ms: r.latency.p999Ms,
    maxMs: r.latency.maxMs,
    serviceP99Ms: r.serviceLatency.p99Ms,
    sendLagP99Ms: r.sendLag.p99Ms,
    serverCpuPercent: Math.round((cpu / Math.max(r.elapsedSec, 1e-3)) * 100),
    sustained,
    loadAvg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
  console.log(
    `  ${workload.padEnd(8)} offered ${String(rate).padStart(6)}/s  achieved ${String(step.achievedPerSec).padStart(6)}/s  ` +
      `p50 ${step.p50Ms.toFixed(2)}  p99 ${step.p99Ms.toFixed(2)}  p99.9 ${step.p999Ms.toFixed(2)} ms  (service ${step.serviceP99Ms.toFixed(2)}, send lag ${step.sendLagP99Ms.toFixed(2)})  ` +
      `server cpu ${step.serverCpuPercent} %  errors ${step.errors}${r.firstError ? ` (${r.firstError})` : ''}  load ${step.loadAvg1m}  ${sustained ? 'ok' : 'NOT SUSTAINED'}`,
  );
  return step;
}

/** Waits until the server answers /healthz (or /) quickly again, so an overloaded step's backlog never spills into the next. */
async function settle(url: string): Promise<void> {
  const pool = new Pool(url, { connections: 1 });
  const deadline = performance.now() + 30_000;
  let fast = 0;
  while (fast < 3 && performance.now() < deadline) {
    const started = performance.now();
    const res = await pool.request({ method: 'GET', path: '/healthz' }).catch(() => undefined);
    await res?.body.text();
    fast = performance.now() - started < 5 ? fast + 1 : 0;
    await new Promise((r) => setTimeout(r, 50));
  }
  await pool.close();
}

/** The body of a 200 answer; any other status throws with the start of the body (and `what` it came from). */
export async function okText(
  res: { statusCode: number; body: { text(): Promise<string> } },
  what = 'request',
): Promise<string> {
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${what}: status ${res.statusCode}: ${text.slice(0, 200)}`);
  return text;
}
