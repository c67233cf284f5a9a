/**
 * Freshness drill: `node tooling/drills/src/freshness-drill.ts` (see tooling/drills/README.md).
 *
 * Runs the real pipeline (Kafka -> apps/consumer -> Redis -> apps/server) under open-loop read load with a
 * real Prometheus scraping the server, stalls the consumer (SIGSTOP), prints a timeline of the server's
 * `/v1/freshness` verdict, the heartbeat age, the GranaryHeartbeatStale alert and the load's p50 latency, then
 * resumes it (SIGCONT) and shows recovery. Bounded (about 2-3 minutes); stops everything it started by PID.
 *
 * Needs the apps built first: `pnpm --filter @granary/server... --filter @granary/consumer... build`.
 * Exit codes: 0 expectations held, 1 they did not, 2 setup error.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRegistry } from '@granary/core';
import { createHeartbeatProducer } from '@granary/kafka';
import { ensureServices, freePort } from '@granary/services';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const resultsDir = resolve(here, '../results');

// Drill parameters.
const HEARTBEAT_INTERVAL_S = 2;
const MAX_AGE_S = 10;
const SLO_THRESHOLD_S = 60; // see the README: keeps the SLO budget out of the drill so recovery is visible
const LOAD_RPS = 200;
const EVENTS_PER_SECOND = 200;
const ENTITIES = 200;
const BASELINE_MS = 20_000;
const STALL_MAX_MS = 45_000;
const HOLD_AFTER_DETECTION_MS = 4_000;
const RECOVERY_MAX_MS = 45_000;
const HARD_LIMIT_MS = 175_000;
const POLL_MS = 500;
const LATENCY_WINDOW_MS = 2_000;
const VIEW = 'drill_stats';
const ALERT = 'GranaryHeartbeatStale';

class SetupError extends Error {}

const started = Date.now();
const children: { name: string; proc: ChildProcess }[] = [];
const cleanups: (() => Promise<void>)[] = [];
let consumerPid: number | undefined;
let tempDir: string | undefined;

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function startChild(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = {},
) {
  const out = [] as string[];
  const proc = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const append = (chunk: Buffer) => {
    out.push(chunk.toString());
    writeFileSync(logFile, chunk, { flag: 'a' });
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  children.push({ name, proc });
  return { proc, output: () => out.join('') };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, proc?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new SetupError(`${what}: process exited with ${proc.exitCode}`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(250);
  }
  throw new SetupError(`${what}: not ready within ${timeoutMs} ms`);
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return await res.json();
}

async function stopChildren(): Promise<void> {
  for (const { proc } of children) {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      try {
        if (proc.pid === consumerPid) process.kill(proc.pid, 'SIGCONT');
        process.kill(proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  const deadline = Date.now() + 12_000;
  for (const { name, proc } of children) {
    while (proc.exitCode === null && proc.signalCode === null && Date.now() < deadline) await sleep(100);
    if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
      log(`  ${name} (pid ${proc.pid}) did not stop on SIGTERM: SIGKILL`);
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}

interface ViewReport {
  view: string;
  verdict: string;
  reasons: string[];
  heartbeat: { ageMs: number | null };
}

interface Sample {
  t: number; // ms since stall (negative during the baseline)
  verdict: string;
  heartbeatAgeMs: number | null;
  alert: string; // inactive | pending | firing
  promHeartbeatAgeS: number | null;
  p50Ms: number | null;
  reasons: string[];
}

async function main(): Promise<number> {
  log(
    `Granary freshness drill  ${new Date().toISOString()}  node ${process.version}, ${cpus().length} cores`,
  );
  const prometheusBin = process.env.GRANARY_PROMETHEUS ?? '/usr/bin/prometheus';
  if (!existsSync(prometheusBin)) {
    throw new SetupError(
      `${prometheusBin} not found: apt-get install -y --no-install-recommends prometheus (or set GRANARY_PROMETHEUS)`,
    );
  }
  const serverMain = join(root, 'apps/server/dist/main.js');
  const consumerMain = join(root, 'apps/consumer/dist/main.js');
  for (const file of [serverMain, consumerMain, join(root, 'packages/kafka/dist/index.js')]) {
    if (!existsSync(file)) {
      throw new SetupError(
        `${file} missing: pnpm --filter @granary/server... --filter @granary/consumer... build`,
      );
    }
  }

  // Services.
  let endpoints: Awaited<ReturnType<typeof ensureServices>>;
  try {
    endpoints = await ensureServices(['kafka', 'redis']);
  } catch (error) {
    throw new SetupError(`services: ${(error as Error).message}`);
  }
  const brokers = [...endpoints.kafka.brokers];
  const redisUrl = endpoints.redis.url;

  // Temp folder, registry, configs.
  const dir = mkdtempSync(join(tmpdir(), 'granary-drill-'));
  tempDir = dir;
  const id = `${Date.now().toString(36)}`;
  const topic = `drill-${id}`;
  const dlq = `drill-dlq-${id}`;
  const keyPrefix = `drill-${id}:`;
  const registryYaml = [
    'entities:',
    '  - { name: user, joinKeys: [user_id] }',
    'views:',
    `  - name: ${VIEW}`,
    '    entity: user',
    `    maxAge: ${MAX_AGE_S}s`,
    `    heartbeatInterval: ${HEARTBEAT_INTERVAL_S}s`,
    `    freshnessSlo: { target: 0.99, threshold: ${SLO_THRESHOLD_S}s }`,
    `    source: { topic: ${topic}, partitions: 1 }`,
    '    features:',
    '      - { name: clicks, type: int64 }',
    '      - { name: ctr, type: float64 }',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'registry.yaml'), registryYaml);
  const registry = parseRegistry(registryYaml, { file: 'registry.yaml' });

  const consumerPort = await freePort();
  writeFileSync(
    join(dir, 'consumer.yaml'),
    [
      'registry: registry.yaml',
      'kafka:',
      `  brokers: [${brokers.join(', ')}]`,
      `  groupId: granary-drill-${id}`,
      `  deadLetterTopic: ${dlq}`,
      'store:',
      '  kind: redis',
      `  redis: { keyPrefix: "${keyPrefix}" }`,
      'heartbeat: { enabled: false } # the drill runs the upstream heartbeat producer itself',
      `http: { host: 127.0.0.1, port: ${consumerPort} }`,
      'log: { level: warn }',
      '',
    ].join('\n'),
  );
  const serverPort = await freePort();
  writeFileSync(
    join(dir, 'server.yaml'),
    [
      'registry: { path: ./registry.yaml }',
      'store:',
      '  type: redis',
      `  redis: { url: "${redisUrl}", keyPrefix: "${keyPrefix}" }`,
      `server: { host: 127.0.0.1, port: ${serverPort}, logLevel: warn }`,
      'auth: { mode: none }',
      '',
    ].join('\n'),
  );

  // Prometheus rules: the repository's rules, with the heartbeat threshold adapted to the drill's interval.
  const rules = readFileSync(join(root, 'ops/prometheus/rules.yml'), 'utf8');
  const original = 'expr: max by (view) (granary_heartbeat_age_seconds) > 20';
  if (!rules.includes(original)) throw new SetupError(`ops/prometheus/rules.yml: "${original}" not found`);
  const threshold = 2 * HEARTBEAT_INTERVAL_S;
  writeFileSync(
    join(dir, 'rules.yml'),
    rules.replace(original, `expr: max by (view) (granary_heartbeat_age_seconds) > ${threshold}`),
  );
  log(
    `Rules: ops/prometheus/rules.yml with ${ALERT}'s threshold changed from 20s (2 x the default 10s interval) to ${threshold}s (2 x the drill's ${HEARTBEAT_INTERVAL_S}s interval); every other rule unchanged.`,
  );
  const promPort = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 900ms }',
      'rule_files: [rules.yml]',
      'scrape_configs:',
      '  - job_name: granary-server',
      `    static_configs: [{ targets: ["127.0.0.1:${serverPort}"] }]`,
      '',
    ].join('\n'),
  );

  // Topics.
  const kafka = new Kafka({ clientId: 'granary-drill', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1 },
      { topic: dlq, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  cleanups.push(async () => {
    await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
    await admin.disconnect();
  });

  // Processes.
  const consumer = startChild(
    'consumer',
    process.execPath,
    [consumerMain, '--config', join(dir, 'consumer.yaml')],
    join(dir, 'consumer.log'),
    { GRANARY_STORE__REDIS__URL: redisUrl },
  );
  consumerPid = consumer.proc.pid;
  const server = startChild(
    'server',
    process.execPath,
    [serverMain, '--config', join(dir, 'server.yaml')],
    join(dir, 'server.log'),
  );
  const prometheus = startChild(
    'prometheus',
    prometheusBin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ],
    join(dir, 'prometheus.log'),
  );
  const base = `http://127.0.0.1:${serverPort}`;
  const prom = `http://127.0.0.1:${promPort}`;
  try {
    await waitFor('server /readyz', async () => (await fetch(`${base}/readyz`)).ok, 20_000, server.proc);
    await waitFor(
      'consumer /healthz',
      async () => (await fetch(`http://127.0.0.1:${consumerPort}/healthz`)).ok,
      30_000,
      consumer.proc,
    );
    await waitFor(
      'prometheus /-/ready',
      async () => (await fetch(`${prom}/-/ready`)).ok,
      30_000,
      prometheus.proc,
    );
  } catch (error) {
    for (const [name, c] of [
      ['consumer', consumer],
      ['server', server],
      ['prometheus', prometheus],
    ] as const) {
      log(`--- ${name} output (tail) ---\n${c.output().slice(-2_000)}`);
    }
    throw error;
  }
  log(
    `Started: consumer pid ${consumer.proc.pid}, server pid ${server.proc.pid} (${base}), prometheus pid ${prometheus.proc.pid} (${prom}); topic ${topic}, Redis key prefix ${keyPrefix}`,
  );

  // Upstream: heartbeats and feature events.
  const heartbeats = createHeartbeatProducer({ kafka, registry, interval: `${HEARTBEAT_INTERVAL_S}s` });
  await heartbeats.start();
  cleanups.push(async () => heartbeats.stop());
  const producer = kafka.producer();
  await producer.connect();
  cleanups.push(async () => producer.disconnect());
  let producing = true;
  const perTick = EVENTS_PER_SECOND / 10;
  const feed = (async () => {
    let n = 0;
    while (producing) {
      const now = Date.now();
      const messages = Array.from({ length: perTick }, () => {
        n += 1;
        const user = n % ENTITIES;
        return {
          key: String(user),
          value: JSON.stringify({
            schemaVersion: 1,
            view: VIEW,
            key: { user_id: user },
            values: { clicks: n, ctr: (n % 100) / 100 },
            eventTime: now,
          }),
        };
      });
      await producer.send({ topic, messages }).catch(() => undefined);
      await sleep(100);
    }
  })();
  cleanups.push(async () => {
    producing = false;
    await feed;
  });

  // Open-loop load: requests are scheduled at a fixed rate; latency counts from the scheduled time.
  const pool = new Pool(base, { connections: 16, pipelining: 1 });
  cleanups.push(async () => pool.close());
  const latencies: { at: number; ms: number }[] = [];
  let sent = 0;
  let errors = 0;
  let loading = true;
  const period = 1000 / LOAD_RPS;
  const loadStart = performance.now();
  const inflight = new Set<Promise<void>>();
  const load = (async () => {
    let i = 0;
    while (loading) {
      const scheduled = loadStart + i * period;
      const wait = scheduled - performance.now();
      if (wait > 1) await sleep(wait);
      i += 1;
      sent += 1;
      const user = Math.floor(Math.random() * ENTITIES);
      const p = pool
        .request({
          method: 'POST',
          path: '/v1/features',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            features: [`${VIEW}:clicks`, `${VIEW}:ctr`],
            entities: [{ user_id: user }],
          }),
        })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode !== 200) errors += 1;
          latencies.push({ at: Date.now(), ms: performance.now() - scheduled });
        })
        .catch(() => {
          errors += 1;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
  })();
  cleanups.push(async () => {
    loading = false;
    await load;
    await Promise.allSettled([...inflight]);
  });
  const p50Since = (from: number, to = Date.now()) =>
    percentile(
      latencies.filter((l) => l.at >= from && l.at <= to).map((l) => l.ms),
      0.5,
    );

  // Observation.
  let stallAt = 0;
  const samples: Sample[] = [];
  let last = '';
  const observe = async (): Promise<Sample> => {
    const now = Date.now();
    let verdict = 'ERROR';
    let heartbeatAgeMs: number | null = null;
    let reasons: string[] = [];
    try {
      const report = (await getJson(`${base}/v1/freshness`)) as { views: ViewReport[] };
      const view = report.views.find((v) => v.view === VIEW);
      if (view) {
        verdict = view.verdict;
        heartbeatAgeMs = view.heartbeat.ageMs;
        reasons = view.reasons;
      }
    } catch (error) {
      reasons = [(error as Error).message];
    }
    let alert = 'inactive';
    try {
      const alerts = (await getJson(`${prom}/api/v1/alerts`)) as {
        data: { alerts: { labels: { alertname: string; view?: string }; state: string }[] };
      };
      const active = alerts.data.alerts.find((a) => a.labels.alertname === ALERT && a.labels.view === VIEW);
      if (active) alert = active.state;
    } catch {
      alert = 'unknown';
    }
    let promHeartbeatAgeS: number | null = null;
    try {
      const q = encodeURIComponent(`max by (view) (granary_heartbeat_age_seconds{view="${VIEW}"})`);
      const res = (await getJson(`${prom}/api/v1/query?query=${q}`)) as {
        data: { result: { value: [number, string] }[] };
      };
      const v = res.data.result[0]?.value[1];
      if (v !== undefined) promHeartbeatAgeS = Number(v);
    } catch {
      // none yet
    }
    const sample: Sample = {
      t: now - stallAt,
      verdict,
      heartbeatAgeMs,
      alert,
      promHeartbeatAgeS,
      p50Ms: p50Since(now - LATENCY_WINDOW_MS, now),
      reasons,
    };
    samples.push(sample);
    return sample;
  };
  const fmt = (s: Sample) => {
    const t = `${s.t >= 0 ? '+' : '-'}${(Math.abs(s.t) / 1000).toFixed(1)}s`;
    const hb = s.heartbeatAgeMs === null ? 'n/a' : `${(s.heartbeatAgeMs / 1000).toFixed(1)}s`;
    const ph = s.promHeartbeatAgeS === null ? 'n/a' : `${s.promHeartbeatAgeS.toFixed(1)}s`;
    const p50 = s.p50Ms === null ? 'n/a' : `${s.p50Ms.toFixed(2)}ms`;
    return `t${t.padStart(7)}  verdict=${s.verdict.padEnd(8)} heartbeat=${hb.padStart(6)} (prom ${ph.padStart(6)})  alert=${s.alert.padEnd(8)} p50=${p50}`;
  };
  const printIfChanged = (s: Sample, force = false) => {
    const key = `${s.verdict}|${s.alert}`;
    if (force || key !== last) {
      log(fmt(s) + (key !== last && s.verdict !== 'OK' && s.reasons[0] ? `  (${s.reasons[0]})` : ''));
      last = key;
    }
  };

  // Baseline: wait for OK with fresh heartbeats and a scraped target, then measure.
  log('\n== baseline ==');
  stallAt = Date.now() + BASELINE_MS + 60_000; // provisional, for negative t
  await waitFor(
    'baseline verdict OK with heartbeats',
    async () => {
      const s = await observe();
      return s.verdict === 'OK' && s.heartbeatAgeMs !== null && s.promHeartbeatAgeS !== null;
    },
    40_000,
  );
  const baselineFrom = Date.now();
  stallAt = baselineFrom + BASELINE_MS;
  let nextPrint = 0;
  while (Date.now() < stallAt) {
    const s = await observe();
    if (Date.now() >= nextPrint) {
      printIfChanged(s, true);
      nextPrint = Date.now() + 5_000;
    } else printIfChanged(s);
    await sleep(POLL_MS);
  }
  const baselineP50 = p50Since(baselineFrom);
  const baselineSamples = samples.filter((s) => s.t < 0 && s.t >= -BASELINE_MS);
  const baselineOk = baselineSamples.every((s) => s.verdict === 'OK' && s.alert === 'inactive');

  // Stall.
  if (consumerPid === undefined) throw new SetupError('consumer has no pid');
  process.kill(consumerPid, 'SIGSTOP');
  stallAt = Date.now();
  log(`\n== stall: SIGSTOP consumer pid ${consumerPid} at ${new Date(stallAt).toISOString()} (t=0) ==`);
  let newestHeartbeatAt: number | null = null;
  let breachedAt: number | null = null;
  let firingAt: number | null = null;
  let pendingAt: number | null = null;
  let detectedAt: number | null = null;
  const stallEnd = stallAt + STALL_MAX_MS;
  while (Date.now() < stallEnd) {
    const s = await observe();
    const at = stallAt + s.t;
    if (s.heartbeatAgeMs !== null) {
      const emitted = at - s.heartbeatAgeMs;
      if (newestHeartbeatAt === null || emitted > newestHeartbeatAt) newestHeartbeatAt = emitted;
    }
    if (breachedAt === null && s.verdict === 'BREACHED') breachedAt = at;
    if (pendingAt === null && s.alert === 'pending') pendingAt = at;
    if (firingAt === null && s.alert === 'firing') firingAt = at;
    printIfChanged(s);
    if (breachedAt !== null && firingAt !== null) {
      detectedAt ??= Date.now();
      if (Date.now() - detectedAt >= HOLD_AFTER_DETECTION_MS) break;
    }
    await sleep(POLL_MS);
  }
  const stallP50 = p50Since(stallAt);
  const stallSamples = samples.filter((s) => s.t >= 0);

  // Resume.
  process.kill(consumerPid, 'SIGCONT');
  const resumedAt = Date.now();
  log(`\n== resume: SIGCONT consumer at t+${((resumedAt - stallAt) / 1000).toFixed(1)}s ==`);
  let okAt: number | null = null;
  let resolvedAt: number | null = null;
  const recoveryEnd = resumedAt + RECOVERY_MAX_MS;
  while (Date.now() < recoveryEnd) {
    const s = await observe();
    const at = stallAt + s.t;
    if (okAt === null && s.verdict === 'OK') okAt = at;
    if (resolvedAt === null && s.alert === 'inactive') resolvedAt = at;
    if (okAt !== null && s.verdict !== 'OK') okAt = null;
    if (resolvedAt !== null && s.alert !== 'inactive') resolvedAt = null;
    printIfChanged(s);
    if (okAt !== null && resolvedAt !== null && Date.now() - Math.max(okAt, resolvedAt) >= 3_000) break;
    await sleep(POLL_MS);
  }
  const recoveryP50 = p50Since(resumedAt);
  const lastSample = samples.at(-1);
  if (lastSample) printIfChanged(lastSample, true);

  // Verdicts.
  const interval = HEARTBEAT_INTERVAL_S * 1000;
  const detectableAt = newestHeartbeatAt === null ? null : newestHeartbeatAt + 2 * interval;
  const alertDeadline = detectableAt === null ? null : detectableAt + 2 * interval;
  const breachExpectedAt =
    newestHeartbeatAt === null ? null : newestHeartbeatAt + MAX_AGE_S * 1000 + 2 * interval;
  const rel = (t: number | null) => (t === null ? null : Math.round(t - stallAt) / 1000);
  const p50Ratio = baselineP50 && stallP50 !== null ? stallP50 / baselineP50 : null;
  const checks = {
    baselineOk,
    freshnessBreached: breachedAt !== null,
    breachedWithin2IntervalsOfRule:
      breachedAt !== null && breachExpectedAt !== null && breachedAt <= breachExpectedAt + 2 * interval,
    alertFiredWithin2IntervalsOfDetectable:
      firingAt !== null && alertDeadline !== null && firingAt <= alertDeadline,
    p50Flat:
      p50Ratio !== null && baselineP50 !== null && stallP50 !== null && stallP50 <= baselineP50 * 2 + 1,
    recoveredOk: okAt !== null,
    alertResolved: resolvedAt !== null,
    loadErrorsBelow1Percent: errors <= sent * 0.01,
  };
  const passed = Object.values(checks).every(Boolean);
  const timeline = {
    stallAt: new Date(stallAt).toISOString(),
    newestHeartbeatBeforeStall: rel(newestHeartbeatAt),
    stallDetectable: rel(detectableAt),
    alertDeadline: rel(alertDeadline),
    breachExpected: rel(breachExpectedAt),
    breached: rel(breachedAt),
    alertPending: rel(pendingAt),
    alertFiring: rel(firingAt),
    resumed: rel(resumedAt),
    verdictOk: rel(okAt),
    alertResolved: rel(resolvedAt),
  };
  const latency = {
    baselineP50Ms: baselineP50,
    stallP50Ms: stallP50,
    recoveryP50Ms: recoveryP50,
    stallOverBaseline: p50Ratio,
    requests: sent,
    errors,
    offeredRps: LOAD_RPS,
  };
  log('\n== summary (times in s relative to the stall) ==');
  log(JSON.stringify({ timeline, latency }, null, 2));
  for (const [name, ok] of Object.entries(checks)) log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}`);
  log(passed ? 'Expectations held.' : 'Expectations did NOT hold.');

  mkdirSync(resultsDir, { recursive: true });
  const file = join(
    resultsDir,
    `freshness-drill-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        node: process.version,
        cores: cpus().length,
        parameters: {
          heartbeatIntervalS: HEARTBEAT_INTERVAL_S,
          maxAgeS: MAX_AGE_S,
          sloThresholdS: SLO_THRESHOLD_S,
          alertThresholdS: threshold,
          loadRps: LOAD_RPS,
          eventsPerSecond: EVENTS_PER_SECOND,
          entities: ENTITIES,
        },
        checks,
        passed,
        timeline,
        latency,
        samples: samples.map(({ reasons: _r, ...s }) => s),
        baselineSamples: baselineSamples.length,
        stallSamples: stallSamples.length,
      },
      null,
      2,
    )}\n`,
  );
  log(`Results: ${file}`);
  return passed ? 0 : 1;
}

async function cleanup(): Promise<void> {
  for (const fn of cleanups.reverse()) {
    await Promise.race([fn().catch(() => undefined), sleep(5_000)]);
  }
  await stopChildren();
}

const hardLimit = setTimeout(() => {
  log(`\nHard limit of ${HARD_LIMIT_MS / 1000}s reached: stopping.`);
  void cleanup().then(() => process.exit(1));
}, HARD_LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping.`);
    void cleanup().then(() => process.exit(1));
  });
}

let code: number;
try {
  code = await main();
} catch (error) {
  code = error instanceof SetupError ? 2 : 1;
  log(
    `\n${error instanceof SetupError ? 'Setup error' : 'Error'}: ${(error as Error).stack ?? String(error)}`,
  );
}
clearTimeout(hardLimit);
await cleanup();
if (tempDir !== undefined) {
  if (code === 0) rmSync(tempDir, { recursive: true, force: true });
  else log(`Configs and logs kept in ${tempDir}`);
}
log(`Stopped everything it started. Exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
process.exit(code);
