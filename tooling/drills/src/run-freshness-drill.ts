import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, sleep, systemClock } from '@granary/core';
import { ensureServices } from '@granary/services';
import { Pool } from 'undici';
import { evaluateDrill } from './drill-evaluation.ts';
import { DRILL_VIEW, type FreshnessDrillOptions, HEARTBEAT_ALERT } from './drill-options.ts';
import { type PhaseContext, runBaseline, runRecovery, runStall, type StallTarget } from './drill-phases.ts';
import { startPipeline } from './drill-pipeline.ts';
import { checkPrerequisites } from './drill-prerequisites.ts';
import { printSummary, writeResults } from './drill-report.ts';
import { createLatencyWindow } from './latency-window.ts';
import { startLoad } from './load-generator.ts';
import type { Log } from './log.ts';
import { createObserver } from './observer.ts';
import type { ProcessSupervisor } from './process-supervisor.ts';
import { SetupError } from './setup-error.ts';
import { createTimelinePrinter } from './timeline-printer.ts';
import { startUpstream } from './upstream-feed.ts';

/** Options of {@link runFreshnessDrill}. */
export interface RunFreshnessDrillOptions {
  /** The repository root. */
  readonly root: string;
  /** Where the JSON results go. */
  readonly resultsDir: string;
  /** When the drill started, ms since the epoch (names the results file). */
  readonly started: number;
  readonly options: FreshnessDrillOptions;
  /** Owns every process, producer and client the drill starts; the caller shuts it down. */
  readonly supervisor: ProcessSupervisor;
  readonly log: Log;
  /** Called with the temp folder (configs, logs, TSDB) as soon as it exists. */
  readonly onTempDir: (dir: string) => void;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * The freshness drill from the prerequisites to the results file (see tooling/drills/README.md). Returns the
 * exit code: 0 expectations held, 1 they did not; throws a SetupError when it cannot set up. Leaves stopping
 * what it started to the caller's supervisor.
 */
export async function runFreshnessDrill(o: RunFreshnessDrillOptions): Promise<number> {
  const { options, supervisor, log } = o;
  const clock = o.clock ?? systemClock;
  log(
    `Granary freshness drill  ${new Date(clock.now()).toISOString()}  node ${process.version}, ${cpus().length} cores`,
  );
  const binaries = checkPrerequisites({ root: o.root });

  // Services.
  let endpoints: Awaited<ReturnType<typeof ensureServices>>;
  try {
    endpoints = await ensureServices(['kafka', 'redis']);
  } catch (error) {
    throw new SetupError(`services: ${(error as Error).message}`);
  }

  // Temp folder, registry, configs, topics, processes.
  const dir = mkdtempSync(join(tmpdir(), 'granary-drill-'));
  o.onTempDir(dir);
  const pipeline = await startPipeline({
    root: o.root,
    dir,
    binaries,
    brokers: [...endpoints.kafka.brokers],
    redisUrl: endpoints.redis.url,
    view: DRILL_VIEW,
    alert: HEARTBEAT_ALERT,
    maxAgeS: options.maxAgeS,
    heartbeatIntervalS: options.heartbeatIntervalS,
    sloThresholdS: options.sloThresholdS,
    supervisor,
    log,
    now: clock.now(),
  });

  // Upstream: heartbeats and feature events.
  await startUpstream({
    kafka: pipeline.kafka,
    registry: pipeline.registry,
    topic: pipeline.topic,
    view: DRILL_VIEW,
    heartbeatIntervalS: options.heartbeatIntervalS,
    eventsPerSecond: options.eventsPerSecond,
    entities: options.entities,
    supervisor,
  });

  // Open-loop load: requests are scheduled at a fixed rate; latency counts from the scheduled time.
  const pool = new Pool(pipeline.serverUrl, { connections: 16, pipelining: 1 });
  supervisor.onCleanup(async () => pool.close());
  const latencies = createLatencyWindow();
  const load = startLoad({
    target: pool,
    rps: options.loadRps,
    view: DRILL_VIEW,
    entities: options.entities,
    latencies,
    clock,
  });
  supervisor.onCleanup(async () => load.stop());

  // Observation: baseline, stall, recovery.
  const origin = { stallAt: 0 };
  const observer = createObserver({
    serverUrl: pipeline.serverUrl,
    prometheusUrl: pipeline.prometheusUrl,
    view: DRILL_VIEW,
    alert: HEARTBEAT_ALERT,
    latencies,
    latencyWindowMs: options.latencyWindowMs,
    origin: () => origin.stallAt,
    clock,
  });
  const ctx: PhaseContext = {
    observer,
    printer: createTimelinePrinter(log),
    latencies,
    origin,
    options,
    log,
    clock,
    sleep,
  };
  const baseline = await runBaseline(ctx);
  const { consumer } = pipeline;
  const pid = consumer.proc.pid;
  if (pid === undefined) throw new SetupError('consumer has no pid');
  const target: StallTarget = {
    pid,
    pause: () => supervisor.pause(consumer),
    resume: () => supervisor.resume(consumer),
  };
  const stall = await runStall(ctx, target);
  const recovery = await runRecovery(ctx, target, stall.stallAt);

  // Verdicts.
  const evaluation = evaluateDrill({
    baseline,
    stall,
    recovery,
    load: { sent: load.sent, errors: load.errors },
    heartbeatIntervalS: options.heartbeatIntervalS,
    maxAgeS: options.maxAgeS,
    loadRps: options.loadRps,
  });
  printSummary(log, evaluation);
  const file = writeResults(o.resultsDir, {
    started: o.started,
    node: process.version,
    cores: cpus().length,
    options,
    alertThresholdS: pipeline.alertThresholdS,
    evaluation,
    samples: observer.samples,
    baselineSamples: baseline.baselineSamples.length,
    stallSamples: stall.stallSamples,
  });
  log(`Results: ${file}`);
  return evaluation.passed ? 0 : 1;
}
