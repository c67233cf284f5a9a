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
 *   ... --pairs 6                                             # alternating 1x50/raw windows at 2,000/s
 *   ... --shared-redis                                        # use tooling/services' Redis instead of an own one
 *
 * Load comes from Vegeta (lib/vegeta.ts: built once with `go install`), a separate process, so the
 * generator's own pauses are not the server's; requests are precomputed and sent round-robin.
 * Workloads: `1x50` (POST /v1/features, 1 entity x 50 float64 features) and `100x20` (100 entities x 20
 * features), keys uniform over 10,000 populated entities (no hot keys, so every request reads Redis), and
 * `baseline` (GET on a Fastify hello-world app), `raw` (the 1x50 requests on a Fastify app that HMGETs the same
 * Redis fields with ioredis and decodes them, no Granary engine: the raw-driver baseline), and `1x50-nolkg`
 * (1x50 on a second server whose engine keeps no last-known-good values, to show that cost). Each workload
 * climbs a ladder of arrival rates; each step is a warm-up then a measured window at a fixed arrival rate (open loop: latency is measured from each
 * request's scheduled send time, so queueing shows). A step is sustained when at least 99 % of the scheduled
 * requests completed within the window plus 1 s, with no errors, and p99 < 50 ms. The server's CPU use
 * during the window (from /proc, percent of one core) is reported with each step.
 * After the ladders, `1x50` and `raw` run again at 2,000/s in alternating windows (`--pairs N`, default 4,
 * quick 2), so that the comparison with raw is not skewed by the machine's drift over minutes.
 * The server, the baselines and a redis-server of the benchmark's own run as child processes, started on free
 * ports and stopped by their PIDs. Results go to tooling/bench/results/server-<timestamp>.json.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeysByPrefix, ensureServices } from '@granary/services';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { median } from '../lib/latency.ts';
import { machine, writeResult } from '../lib/machine.ts';
import { ensureVegeta, type VegetaTarget, writeTargets } from '../lib/vegeta.ts';
import { checkRawAgrees, HELLO_APP, RAW_APP } from './server-baselines.ts';
import {
  measureStep,
  okText,
  type Step,
  type StepContext,
  startChild,
  startOwnRedis,
  stopChild,
} from './server-steps.ts';

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
/** Alternating 1x50 / raw windows at the target rate after the ladders (`--pairs N`; 0 skips them). */
const pairsArg = process.argv.indexOf('--pairs');
const PAIRS = pairsArg >= 0 ? Number(process.argv[pairsArg + 1] ?? 0) : quick ? 2 : 4;
const PAIR_RATE = 2000;
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
      raw: [1000, 2000, 3000, 4000],
      '1x50': [1000, 2000, 3000, 4000],
      '100x20': [50, 100, 200],
      '1x50-nolkg': [2000, 3000, 4000],
    }
  : {
      baseline: [2000, 4000, 8000, 12_000],
      raw: [1000, 2000, 3000, 4000, 5000, 6000],
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
    'server: { host: 127.0.0.1, port: 0, bodyLimitBytes: 16777216, maxPushRows: 1000 }',
    'log: { level: warn }',
    'auth: { mode: none }',
    '',
  ].join('\n');
}

async function ladder(workload: string, targetsFile: string, url: string, ctx: StepContext): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of RATES ?? LADDERS[workload] ?? []) {
    const step = await measureStep(workload, targetsFile, url, ctx, rate);
    steps.push(step);
    if (!step.sustained && step.achievedPerSec < 0.9 * rate) break; // far past saturation: stop climbing
  }
  return steps;
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
      ['--input-type=module', '-e', HELLO_APP],
      join(ROOT, 'apps', 'server'),
      /listening on (http:\/\/[0-9.:]+)/,
    );
    children.push(hello.child);
    const raw = await startChild(
      ['--input-type=module', '-e', RAW_APP],
      join(ROOT, 'apps', 'server'),
      /listening on (http:\/\/[0-9.:]+)/,
      { BENCH_REDIS_URL: redisUrl, BENCH_PREFIX: prefix },
    );
    children.push(raw.child);

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
      await okText(
        await populate.request({
          method: 'POST',
          path: '/v1/push',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows }),
        }),
      );
    }
    await populate.close();
    await checkRawAgrees(server.url, raw.url);

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
      raw: { target: raw, requests: oneByFifty },
      '1x50': { target: server, requests: oneByFifty },
      '100x20': { target: server, requests: hundredByTwenty },
      '1x50-nolkg': { target: nolkg, requests: oneByFifty },
    };
    const titles: Record<string, string> = {
      baseline: 'baseline: Fastify hello world (GET /)',
      raw: 'raw: the 1x50 requests on Fastify + ioredis HMGET, decoded in place, no Granary engine',
      '1x50': '1x50: POST /v1/features, 1 entity x 50 features, Redis',
      '100x20': '100x20: POST /v1/features, 100 entities x 20 features, Redis',
      '1x50-nolkg': '1x50-nolkg: the 1x50 workload on a server with engine.lastKnownGood: false',
    };
    const vegeta = await ensureVegeta();
    const results: Step[] = [];
    const files: Record<string, string> = {};
    const stepContext = (w: string): StepContext => ({
      vegeta,
      dir,
      pid: workloads[w]?.target.child.pid,
      warmupMs: WARMUP_MS,
      windowMs: WINDOW_MS,
      p99LimitMs: P99_LIMIT_MS,
    });
    for (const [workload, { target, requests }] of Object.entries(workloads)) {
      if (ONLY && !ONLY.has(workload)) continue;
      console.log(`\n== ${titles[workload]}`);
      const file = writeTargets(dir, workload, requests(target.url));
      files[workload] = file;
      results.push(...(await ladder(workload, file, target.url, stepContext(workload))));
    }

    // The target rate again, the Granary server and the raw baseline in alternating windows (each goes first
    // in turn), so that the machine's drift over minutes hits both alike.
    const paired: Step[] = [];
    const pairFiles = [files['1x50'], files.raw];
    if (pairFiles.every((f) => f !== undefined) && PAIRS > 0) {
      console.log(`\n== paired at ${PAIR_RATE}/s: 1x50 and raw in alternating windows (${PAIRS} pairs)`);
      for (let i = 0; i < PAIRS; i++) {
        const order = i % 2 === 0 ? ['1x50', 'raw'] : ['raw', '1x50'];
        for (const w of order) {
          const t = workloads[w] as (typeof workloads)[string];
          paired.push(await measureStep(w, files[w] as string, t.target.url, stepContext(w), PAIR_RATE));
        }
      }
    }
    const pairedSummary = Object.fromEntries(
      ['1x50', 'raw'].map((w) => {
        const steps = paired.filter((s) => s.workload === w);
        return [
          w,
          {
            p99Ms: steps.map((s) => s.p99Ms),
            medianP99Ms: median(steps.map((s) => s.p99Ms)),
            medianP50Ms: median(steps.map((s) => s.p50Ms)),
            medianServerCpuPercent: median(steps.map((s) => s.serverCpuPercent)),
          },
        ];
      }),
    );
    if (paired.length > 0)
      for (const [w, p] of Object.entries(pairedSummary))
        console.log(
          `  ${w.padEnd(8)} median p50 ${p.medianP50Ms.toFixed(2)} ms, median p99 ${p.medianP99Ms.toFixed(2)} ms (windows: ${p.p99Ms.map((x) => x.toFixed(1)).join(', ')}), median server cpu ${p.medianServerCpuPercent} %`,
        );

    const best = (w: string) =>
      results
        .filter((s) => s.workload === w && s.sustained)
        .reduce((a, s) => Math.max(a, s.achievedPerSec), 0);
    // The target is judged on every 1x50 window at 2,000/s (ladder step and paired windows): met only when
    // the median window is under 5 ms and every one of them was sustained.
    const windows2000 = [...results, ...paired].filter(
      (s) => s.workload === '1x50' && s.offeredPerSec === 2000,
    );
    const median2000 = median(windows2000.map((s) => s.p99Ms));
    const targets = [
      {
        name: '1x50 p99 at 2,000 requests/s (median of its windows)',
        target: '< 5 ms',
        actual:
          windows2000.length > 0
            ? `${median2000.toFixed(2)} ms (windows: ${windows2000.map((s) => s.p99Ms.toFixed(1)).join(', ')})`
            : 'not run',
        met: windows2000.length > 0 && windows2000.every((s) => s.sustained) && median2000 < 5,
      },
    ];
    console.log('\nhighest sustained throughput (p99 < 50 ms, no errors):');
    for (const w of ['baseline', 'raw', '1x50', '100x20', '1x50-nolkg'])
      console.log(`  ${w.padEnd(8)} ${best(w)}/s`);
    for (const t of targets)
      console.log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.actual} (target ${t.target})`);
    const path = writeResult('server', {
      description:
        'apps/server over Redis, open-loop HTTP on loopback; baselines: Fastify hello world, raw driver (Fastify + ioredis HMGET)',
      settings: {
        keyspace: KEYSPACE,
        warmupMs: WARMUP_MS,
        windowMs: WINDOW_MS,
        p99LimitMs: P99_LIMIT_MS,
        connections: 128,
      },
      steps: results,
      paired: { ratePerSec: PAIR_RATE, steps: paired, summary: pairedSummary },
      highestSustainedPerSec: {
        baseline: best('baseline'),
        raw: best('raw'),
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
