/**
 * The reference feature server (apps/server) over Redis, under open-loop HTTP load on loopback, with a
 * Fastify hello-world baseline measured in the same run.
 *
 *   pnpm --filter @granary/server... build        # the server's dist and its dependencies
 *   node tooling/bench/src/adapters/server.ts                 # full ladder (about 6 minutes)
 *   node tooling/bench/src/adapters/server.ts --quick         # fewer and shorter steps (about 2 minutes)
 *   nice -n -10 node tooling/bench/src/adapters/server.ts     # as root on a busy machine: run ahead of other work
 *   ... --only 1x50,baseline                                  # some workloads only
 *   ... --rates 1000,2000                                     # these arrival rates instead of the ladders
 *   ... --server-flags "--max-semi-space-size=16"             # V8 flags of the server processes
 *   ... --shared-redis                                        # use tooling/services' Redis instead of an own one
 *
 * Load comes from Vegeta (lib/vegeta.ts: built once with `go install`), a separate process, so the
 * generator's own pauses are not the server's; requests are precomputed and sent round-robin.
 * Workloads: `1x50` (POST /v1/features, 1 entity x 50 float64 features) and `100x20` (100 entities x 20
 * features), keys uniform over 10,000 populated entities (no hot keys, so every request reads Redis), and
 * `baseline` (GET on a Fastify hello-world app), and `1x50-nolkg` (1x50 on a second server whose engine keeps no
 * last-known-good values, to show that cost). Each workload climbs a ladder of arrival rates; each step
 * is a warm-up then a measured window at a fixed arrival rate (open loop: latency is measured from each
 * request's scheduled send time, so queueing shows). A step is sustained when at least 99 % of the scheduled
 * requests completed within the window plus 1 s, with no errors, and p99 < 50 ms. The server's CPU use
 * during the window (from /proc, percent of one core) is reported with each step.
 * The server, the baseline and a redis-server of the benchmark's own run as child processes, started on free
 * ports and stopped by their PIDs. Results go to tooling/bench/results/server-<timestamp>.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeysByPrefix, ensureServices, freePort } from '@granary/services';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { machine, writeResult } from '../lib/machine.ts';
import { attack, cpuSeconds, ensureVegeta, type VegetaTarget, writeTargets } from '../lib/vegeta.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SERVER_MAIN = join(ROOT, 'apps', 'server', 'dist', 'main.js');
/** V8 flags of the server child, e.g. `--server-flags "--max-semi-space-size=16"`. Default: none (as `pnpm start`). */
const flagsArg = process.argv.indexOf('--server-flags');
const SERVER_FLAGS = (flagsArg >= 0 ? (process.argv[flagsArg + 1] ?? '') : '').split(' ').filter(Boolean);
const KEYSPACE = 10_000;
const quick = process.argv.includes('--quick');
const WARMUP_MS = quick ? 1500 : 3000;
const WINDOW_MS = quick ? 4000 : 10_000;
const P99_LIMIT_MS = 50;
/** `--only 1x50,baseline` runs only these workloads. */
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;

/** `--rates 1000,2000` replaces every workload's ladder with these arrival rates. */
const ratesArg = process.argv.indexOf('--rates');
const RATES =
  ratesArg >= 0
    ? (process.argv[ratesArg + 1] ?? '')
        .split(',')
        .map(Number)
        .filter((n) => n > 0)
    : undefined;

const LADDERS: Readonly<Record<string, readonly number[]>> = quick
  ? {
      baseline: [2000, 8000],
      '1x50': [1000, 2000, 3000, 4000],
      '100x20': [50, 100, 200],
      '1x50-nolkg': [2000, 3000, 4000],
    }
  : {
      baseline: [2000, 4000, 8000, 12_000],
      '1x50': [1000, 2000, 3000, 4000, 5000, 6000],
      '100x20': [50, 100, 200, 300, 400],
      '1x50-nolkg': [2000, 3000, 4000, 5000],
    };

const features = (n: number) =>
  Array.from({ length: n }, (_, i) => `bench_wide:f${String(i).padStart(2, '0')}`);

function registryYaml(): string {
  const lines = [
    'entities:',
    '  - { name: bench_user, joinKeys: [{ name: user_id, type: int64 }] }',
    'views:',
    '  - name: bench_wide',
    '    entity: bench_user',
    '    maxAge: 1d',
    '    features:',
  ];
  for (let i = 0; i < 50; i++) lines.push(`      - { name: f${String(i).padStart(2, '0')}, type: float64 }`);
  return `${lines.join('\n')}\n`;
}

function configYaml(redisUrl: string, prefix: string, engineExtra = ''): string {
  return [
    'registry: { path: ./registry.yaml }',
    `store: { type: redis, redis: { url: "${redisUrl}", keyPrefix: "${prefix}" } }`,
    `engine: { deadline: 1s, maxDeadline: 5s, storeTimeout: 1s, heartbeat: false${engineExtra} }`,
    'server: { host: 127.0.0.1, port: 0, logLevel: warn, bodyLimitBytes: 16777216, maxPushRows: 1000 }',
    'auth: { mode: none }',
    '',
  ].join('\n');
}

/** Starts a child process and resolves with its base URL once it prints one. */
function startChild(
  args: string[],
  cwd: string,
  pattern: RegExp,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
}

const HELLO = `
const { default: Fastify } = await import('fastify');
const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
app.get('/healthz', async () => ({ status: 'ok' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log('listening on ' + address);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

interface Step {
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
  /** CPU the server process used during the window, in percent of one core (0 for the baseline). */
  readonly serverCpuPercent: number;
  readonly sustained: boolean;
  /** The machine's 1-minute load average after the step (2 cores: above 2 means other work competed). */
  readonly loadAvg1m: number;
}

async function ladder(
  workload: string,
  targetsFile: string,
  url: string,
  ctx: { readonly vegeta: string; readonly dir: string; readonly pid: number | undefined },
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of RATES ?? LADDERS[workload] ?? []) {
    const base = { binary: ctx.vegeta, targetsFile, ratePerSec: rate, dir: ctx.dir };
    await attack({ ...base, durationMs: WARMUP_MS });
    const cpuBefore = ctx.pid === undefined ? 0 : cpuSeconds(ctx.pid);
    const r = await attack({ ...base, durationMs: WINDOW_MS });
    const cpu = ctx.pid === undefined ? 0 : cpuSeconds(ctx.pid) - cpuBefore;
    await settle(url);
    const achieved = (r.completed - r.errors) / Math.max(r.elapsedSec, WINDOW_MS / 1000);
    const sustained =
      r.errors === 0 &&
      r.elapsedSec <= WINDOW_MS / 1000 + 1 &&
      r.completed >= 0.99 * r.scheduled &&
      r.latency.p99Ms < P99_LIMIT_MS;
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
    steps.push(step);
    console.log(
      `  ${workload.padEnd(8)} offered ${String(rate).padStart(6)}/s  achieved ${String(step.achievedPerSec).padStart(6)}/s  ` +
        `p50 ${step.p50Ms.toFixed(2)}  p99 ${step.p99Ms.toFixed(2)}  p99.9 ${step.p999Ms.toFixed(2)} ms  (service ${step.serviceP99Ms.toFixed(2)}, send lag ${step.sendLagP99Ms.toFixed(2)})  ` +
        `server cpu ${step.serverCpuPercent} %  errors ${step.errors}${r.firstError ? ` (${r.firstError})` : ''}  load ${step.loadAvg1m}  ${sustained ? 'ok' : 'NOT SUSTAINED'}`,
    );
    if (!sustained && achieved < 0.9 * rate) break; // far past saturation: stop climbing
  }
  return steps;
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

async function expectOk(res: Awaited<ReturnType<Pool['request']>>): Promise<void> {
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${text.slice(0, 200)}`);
}

/**
 * A redis-server of the benchmark's own (no persistence, spare port), so other work on the shared test Redis
 * neither slows the run nor is slowed by it; it inherits the benchmark's scheduling priority.
 */
async function startOwnRedis(dir: string): Promise<{ child: ChildProcess; url: string }> {
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

async function main(): Promise<number> {
  const ownRedis = !process.argv.includes('--shared-redis');
  const endpoints = ownRedis ? undefined : await ensureServices(['redis']);
  const m = machine();
  console.log(
    `granary server benchmark on ${m.cores} cores (${m.cpu}), Node ${m.node}${quick ? ' (quick)' : ''}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'granary-bench-server-'));
  const prefix = `granary-bench-server:${Date.now().toString(36)}:`;
  const children: ChildProcess[] = [];
  // Interrupted (Ctrl-C, SIGTERM): stop the children we started, by PID, before exiting.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const c of children)
        if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const own = ownRedis ? await startOwnRedis(dir) : undefined;
  if (own) children.push(own.child);
  const redisUrl = own?.url ?? (endpoints?.redis.url as string);
  writeFileSync(join(dir, 'registry.yaml'), registryYaml());
  writeFileSync(join(dir, 'server.yaml'), configYaml(redisUrl, prefix));
  writeFileSync(join(dir, 'server-nolkg.yaml'), configYaml(redisUrl, prefix, ', lastKnownGood: false'));
  const redis = new Redis(redisUrl);
  try {
    const server = await startChild(
      [...SERVER_FLAGS, SERVER_MAIN, '--config', join(dir, 'server.yaml')],
      dir,
      /listening on (http:\/\/[0-9.:]+)/,
    );
    children.push(server.child);
    const hello = await startChild(
      ['--input-type=module', '-e', HELLO],
      join(ROOT, 'apps', 'server'),
      /listening on (http:\/\/[0-9.:]+)/,
    );
    children.push(hello.child);

    const nolkg = await startChild(
      [...SERVER_FLAGS, SERVER_MAIN, '--config', join(dir, 'server-nolkg.yaml')],
      dir,
      /listening on (http:\/\/[0-9.:]+)/,
    );
    children.push(nolkg.child);

    // Populate 10,000 entities x 50 features through /v1/push.
    const populate = new Pool(server.url, { connections: 4 });
    const now = Date.now();
    for (let first = 0; first < KEYSPACE; first += 1000) {
      const rows = [];
      for (let u = first; u < first + 1000; u++) {
        const values: Record<string, number> = {};
        for (let f = 0; f < 50; f++) values[`f${String(f).padStart(2, '0')}`] = (u * 50 + f) / 7;
        rows.push({ view: 'bench_wide', key: { user_id: u }, values, eventTime: now });
      }
      await expectOk(
        await populate.request({
          method: 'POST',
          path: '/v1/push',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows }),
        }),
      );
    }
    await populate.close();

    let seed = 1;
    const nextKey = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % KEYSPACE;
    };
    const f50 = features(50);
    const f20 = features(20);
    const headers = { 'content-type': 'application/json', 'x-granary-deadline-ms': '1000' };
    const post = (url: string, body: unknown): VegetaTarget => ({
      method: 'POST',
      url: `${url}/v1/features`,
      headers,
      body: JSON.stringify(body),
    });
    // Distinct requests Vegeta sends round-robin: more than one window's worth for 1x50, so keys do not repeat.
    const oneByFifty = (url: string) =>
      Array.from({ length: 40_000 }, () => post(url, { features: f50, entities: [{ user_id: nextKey() }] }));
    const hundredByTwenty = (url: string) =>
      Array.from({ length: 4000 }, () =>
        post(url, { features: f20, entities: Array.from({ length: 100 }, () => ({ user_id: nextKey() })) }),
      );
    const workloads: Record<string, { target: typeof server; requests: (url: string) => VegetaTarget[] }> = {
      baseline: { target: hello, requests: (url) => [{ method: 'GET', url: `${url}/` }] },
      '1x50': { target: server, requests: oneByFifty },
      '100x20': { target: server, requests: hundredByTwenty },
      '1x50-nolkg': { target: nolkg, requests: oneByFifty },
    };
    const titles: Record<string, string> = {
      baseline: 'baseline: Fastify hello world (GET /)',
      '1x50': '1x50: POST /v1/features, 1 entity x 50 features, Redis',
      '100x20': '100x20: POST /v1/features, 100 entities x 20 features, Redis',
      '1x50-nolkg': '1x50-nolkg: the 1x50 workload on a server with engine.lastKnownGood: false',
    };
    const vegeta = await ensureVegeta();
    const results: Step[] = [];
    for (const [workload, { target, requests }] of Object.entries(workloads)) {
      if (ONLY && !ONLY.has(workload)) continue;
      console.log(`\n== ${titles[workload]}`);
      const file = writeTargets(dir, workload, requests(target.url));
      results.push(...(await ladder(workload, file, target.url, { vegeta, dir, pid: target.child.pid })));
    }

    const best = (w: string) =>
      results
        .filter((s) => s.workload === w && s.sustained)
        .reduce((a, s) => Math.max(a, s.achievedPerSec), 0);
    const at2000 = results.find((s) => s.workload === '1x50' && s.offeredPerSec === 2000);
    const targets = [
      {
        name: '1x50 p99 at 2,000 requests/s',
        target: '< 5 ms',
        actual: at2000 ? `${at2000.p99Ms.toFixed(2)} ms` : 'not run',
        met: at2000?.sustained === true && at2000.p99Ms < 5,
      },
    ];
    console.log('\nhighest sustained throughput (p99 < 50 ms, no errors):');
    for (const w of ['baseline', '1x50', '100x20', '1x50-nolkg'])
      console.log(`  ${w.padEnd(8)} ${best(w)}/s`);
    for (const t of targets)
      console.log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.actual} (target ${t.target})`);
    const path = writeResult('server', {
      description: 'apps/server over Redis, open-loop HTTP on loopback, Fastify hello-world baseline',
      settings: {
        keyspace: KEYSPACE,
        warmupMs: WARMUP_MS,
        windowMs: WINDOW_MS,
        p99LimitMs: P99_LIMIT_MS,
        connections: 128,
      },
      steps: results,
      highestSustainedPerSec: {
        baseline: best('baseline'),
        '1x50': best('1x50'),
        '100x20': best('100x20'),
        '1x50-nolkg': best('1x50-nolkg'),
      },
      targets,
    });
    console.log(`results: ${path}`);
    return 0;
  } finally {
    for (const c of children.slice(own ? 1 : 0)) await stopChild(c);
    await deleteRedisKeysByPrefix(redis, prefix);
    redis.disconnect();
    if (own) await stopChild(own.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(3);
  },
);
