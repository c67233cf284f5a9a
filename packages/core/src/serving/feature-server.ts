import { createServedLog, type ServedLog } from '../consistency/served-log.js';
import { StoreError, ValidationError } from '../errors.js';
import { createLastKnownGoodCache } from '../fallback/last-known-good.js';
import { buildFreshnessReport } from '../freshness/freshness-report.js';
import { createFreshnessTracker } from '../freshness/freshness-tracker.js';
import { heartbeatView } from '../freshness/heartbeat.js';
import type { HeartbeatProbe } from '../freshness/heartbeat-probe.js';
import { producerHeartbeatView } from '../freshness/producer-heartbeat.js';
import { createReadPath, type ReadPath } from '../read-path/read-path.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { Registry } from '../registry/registry.js';
import { type EntityKeyString, entityKeyString } from '../store/entity-key.js';
import type { WriteRow } from '../store/online-store.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import { createEngineTelemetry } from '../telemetry/engine-telemetry.js';
import { createFreshnessMetrics } from '../telemetry/freshness-metrics.js';
import { createNoopMetricsRecorder } from '../telemetry/metrics-recorder.js';
import { systemClock } from '../time/clock.js';
import { createEngineHeartbeat } from './engine-heartbeat.js';
import type { FeatureServerOptions } from './feature-server-options.js';
import type { FeatureServer, HotKey, HotKeysOptions, StoreHealthReport } from './feature-server-types.js';
import { checkStore } from './option-checks.js';
import { createRequestPlanner } from './request-planner.js';
import { createRequestRunner } from './request-runner.js';
import { createResponseAssembler } from './response-assembly.js';

/**
 * Creates the serving engine: request validation and planning, the read path (near cache of hot keys,
 * negative cache, single flight, micro-batching, failover and hedging, each store's circuit breaker and
 * timeout; see `createReadPath`), fallback chains, freshness tracking with a heartbeat probe, watermarks and
 * the served log. Call `init()` before `get()`. Every option is documented in {@link FeatureServerOptions}.
 */
export function createFeatureServer(options: FeatureServerOptions): FeatureServer {
  const { registry } = options;
  if (!registry || !(registry.views instanceof Map))
    throw new ValidationError('must be a Registry', 'registry');
  checkStore(options.store, 'store');
  checkStore(options.secondaryStore, 'secondaryStore');
  const clock = options.clock ?? systemClock;
  const telemetry = createEngineTelemetry(options.metrics ?? createNoopMetricsRecorder());
  const { metrics } = telemetry;
  const planner = createRequestPlanner(registry, options);
  const readPath = createReadPath(options, { views: registry.views.values(), clock, metrics });
  const userViews = [...registry.views.values()].filter((v) => !isReservedView(v.name));
  const lkg = options.lastKnownGood === false ? undefined : (options.lastKnownGood ?? {});
  const lastKnownGood = lkg ? createLastKnownGoodCache({ clock, maxEntries: lkg.maxEntries }) : undefined;
  const fresh = options.freshness ?? {};
  const tracker = createFreshnessTracker({
    clock,
    shortWindowMs: fresh.shortWindowMs,
    longWindowMs: fresh.longWindowMs,
    slotMs: fresh.slotMs,
  });
  const servedLog = options.servedLog ? engineServedLog(options.servedLog, metrics) : undefined;
  const { statsProvider } = options;
  const runner = createRequestRunner({
    planner,
    read: readPath.read,
    assembler: createResponseAssembler({ clock, metrics, tracker, lastKnownGood, statsProvider, servedLog }),
    fallback: { lastKnownGood, statsProvider },
    metrics,
  });
  const heartbeat = options.heartbeat === false ? undefined : (options.heartbeat ?? {});
  const probe: HeartbeatProbe = createEngineHeartbeat(heartbeat, {
    views: userViews,
    read: readPath.readStores,
    clock,
    metrics,
  });
  const freshnessMetrics = createFreshnessMetrics(metrics, tracker);
  freshnessMetrics.recordViewConfig(userViews);
  let state: 'new' | 'ready' | 'closed' = 'new';
  const notReady = () =>
    state === 'closed'
      ? new StoreError('STORE_CLOSED', 'the feature server is closed', 'engine', { retryable: false })
      : new ValidationError('the feature server is not initialised: await init() first', 'init');

  return {
    registry,
    async init(opts) {
      if (state === 'closed') throw notReady();
      const all: FeatureView[] = [...registry.views.values()];
      for (const reserved of RESERVED_VIEWS) if (!registry.views.has(reserved.name)) all.push(reserved);
      await options.store.init(all, opts);
      await options.secondaryStore?.init(all, opts);
      if (heartbeat && !probe.running) probe.start();
      state = 'ready';
    },
    get(request) {
      if (state !== 'ready') return Promise.reject(notReady());
      return runner.get(request);
    },
    async write(rows, opts) {
      if (state === 'closed') throw notReady();
      const keys = writtenKeys(registry, rows);
      readPath.invalidate(keys);
      try {
        await options.store.write(rows, opts);
      } finally {
        readPath.invalidate(keys);
      }
    },
    freshness() {
      const report = buildFreshnessReport({
        views: userViews,
        tracker,
        heartbeat: (v) => probe.latest(v),
        clock,
        thresholds: fresh,
      });
      freshnessMetrics.recordReport(report, userViews);
      return report;
    },
    probeHeartbeats: () => probe.probeAll(),
    hotKeys: (opts = {}) => hotKeys(registry, readPath, opts),
    health: (opts) => storeHealth(options, readPath, opts?.signal),
    stats: () => {
      const { circuits, ...sizes } = readPathState(readPath);
      return { ...telemetry.stats(), ...sizes, lastKnownGoodEntries: lastKnownGood?.size ?? 0, circuits };
    },
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      probe.stop();
      await servedLog?.close();
      if (options.closeStores ?? true) {
        await options.store.close();
        await options.secondaryStore?.close();
      }
    },
  };
}

/** The most requested keys (estimates from each view's heavy-hitter sketch), largest first. */
function hotKeys(registry: Registry, readPath: ReadPath, opts: HotKeysOptions): HotKey[] {
  const n = opts.n ?? 10;
  if (opts.view !== undefined) registry.getView(opts.view);
  const out: HotKey[] = [];
  for (const view of registry.views.values()) {
    if (opts.view !== undefined && view.name !== opts.view) continue;
    for (const h of readPath.nearCache.hotKeys(view.name, n)) out.push({ view: view.name, ...h });
  }
  return out.sort((a, b) => b.count - a.count).slice(0, n);
}

/** The sizes and circuit states `stats()` reports from the read path. */
function readPathState(readPath: ReadPath) {
  const { primary, secondary } = readPath.guards;
  return {
    inFlightReads: readPath.inFlight(),
    nearCacheEntries: readPath.nearCache.size,
    negativeCacheEntries: readPath.negativeEntries(),
    circuits: {
      primary: primary.breaker.state(),
      ...(secondary ? { secondary: secondary.breaker.state() } : {}),
    },
  };
}

/** The served log, counting what becomes of its records. */
function engineServedLog(
  options: NonNullable<FeatureServerOptions['servedLog']>,
  metrics: EngineMetrics,
): ServedLog {
  const labels = {
    written: Object.freeze({ outcome: 'written' }),
    dropped: Object.freeze({ outcome: 'dropped' }),
    failed: Object.freeze({ outcome: 'failed' }),
  };
  return createServedLog(options, {
    onWritten: (n) => metrics.servedLogRecords.inc(labels.written, n),
    onDropped: (n) => metrics.servedLogRecords.inc(labels.dropped, n),
    onFailed: (n) => metrics.servedLogRecords.inc(labels.failed, n),
  });
}

/** Views the engine adds to every store: pipeline and producer heartbeats. */
const RESERVED_VIEWS: readonly FeatureView[] = [heartbeatView, producerHeartbeatView];
const isReservedView = (name: string) => RESERVED_VIEWS.some((v) => v.name === name);

/** The (view, key) pairs a write touches; a row the store will reject is skipped (its error names it). */
function writtenKeys(registry: Registry, rows: readonly WriteRow[]): (readonly [string, EntityKeyString])[] {
  const keys: (readonly [string, EntityKeyString])[] = [];
  for (const row of Array.isArray(rows) ? rows : []) {
    const view = registry.views.get(row?.view) ?? RESERVED_VIEWS.find((v) => v.name === row?.view);
    if (!view) continue;
    try {
      keys.push([view.name, entityKeyString(view.entity, row.key)]);
    } catch {
      // An invalid key: the store rejects the batch with a ValidationError naming it.
    }
  }
  return keys;
}

/** Health of each store (bounded by its read timeout) and its circuit. Never rejects. */
async function storeHealth(
  options: FeatureServerOptions,
  readPath: ReadPath,
  signal: AbortSignal | undefined,
): Promise<{ ok: boolean; stores: StoreHealthReport[] }> {
  const check = async (
    store: FeatureServerOptions['store'],
    role: 'primary' | 'secondary',
    guard: ReadPath['guards']['primary'],
  ): Promise<StoreHealthReport> => {
    const timeout = AbortSignal.timeout(guard.timeoutMs);
    let h: { ok: boolean; latencyMs: number; detail?: string };
    try {
      h = await store.health({ signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      h = { ok: false, latencyMs: 0, detail: error instanceof Error ? error.message : String(error) };
    }
    return { role, name: guard.store, ...h, circuit: guard.breaker.state() };
  };
  const { primary, secondary } = readPath.guards;
  const stores = await Promise.all([
    check(options.store, 'primary', primary),
    ...(options.secondaryStore && secondary ? [check(options.secondaryStore, 'secondary', secondary)] : []),
  ]);
  return { ok: stores.some((s) => s.ok && s.circuit !== 'open' && s.circuit !== 'isolated'), stores };
}
