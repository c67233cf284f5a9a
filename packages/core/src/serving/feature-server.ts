import { createNearCache } from '../coalescing/near-cache.js';
import { createNegativeCache } from '../coalescing/negative-cache.js';
import { createServedLog } from '../consistency/served-log.js';
import { StoreError, ValidationError } from '../errors.js';
import type { GuardedStore } from '../fallback/guarded-store.js';
import { createLastKnownGoodCache } from '../fallback/last-known-good.js';
import { buildFreshnessReport } from '../freshness/freshness-report.js';
import { createFreshnessTracker } from '../freshness/freshness-tracker.js';
import { HEARTBEAT_VIEW_NAME, heartbeatView } from '../freshness/heartbeat.js';
import { createHeartbeatProbe, type HeartbeatProbe } from '../freshness/heartbeat-probe.js';
import type { FeatureView } from '../registry/feature-view.js';
import { encodeEntityKey, entityKeyToString } from '../store/entity-key.js';
import { createEngineMetrics } from '../telemetry/engine-metrics.js';
import { createFreshnessMetrics } from '../telemetry/freshness-metrics.js';
import { createNoopMetricsRecorder } from '../telemetry/metrics-recorder.js';
import { createServingStats } from '../telemetry/serving-stats.js';
import { systemClock } from '../time/clock.js';
import type { EngineContext, ViewRuntime } from './engine-context.js';
import { ENGINE_DEFAULTS } from './engine-defaults.js';
import type { FeatureServerOptions } from './feature-server-options.js';
import type { FeatureServer, HotKey, StoreHealthReport } from './feature-server-types.js';
import { getFeatures } from './get-features.js';
import { checkStore, positive } from './option-checks.js';
import { createRequestPlanner } from './request-planner.js';
import { wireStores } from './store-wiring.js';
import { createViewRuntime } from './view-runtime.js';

/**
 * Creates the serving engine: request validation, per-view single flight and micro-batching, negative and
 * near caches, hot-key detection, deadlines, per-store timeout and circuit breaker, failover and hedging,
 * fallback chains, freshness tracking with a heartbeat probe, watermarks and the served log.
 * Call `init()` before `get()`. Every option is documented in {@link FeatureServerOptions}.
 */
export function createFeatureServer(options: FeatureServerOptions): FeatureServer {
  const { registry } = options;
  if (!registry || !(registry.views instanceof Map))
    throw new ValidationError('must be a Registry', 'registry');
  checkStore(options.store, 'store');
  checkStore(options.secondaryStore, 'secondaryStore');
  const clock = options.clock ?? systemClock;
  const metrics = createEngineMetrics(options.metrics ?? createNoopMetricsRecorder());
  const stats = createServingStats();
  const D = ENGINE_DEFAULTS;
  const storeTimeoutMs = positive(options.storeTimeoutMs, D.storeTimeoutMs, 'storeTimeoutMs');
  const limits = {
    defaultDeadlineMs: positive(options.deadlineMs, D.deadlineMs, 'deadlineMs'),
    maxDeadlineMs: positive(options.maxDeadlineMs, D.maxDeadlineMs, 'maxDeadlineMs'),
    maxEntities: positive(options.maxEntitiesPerRequest, D.maxEntitiesPerRequest, 'maxEntitiesPerRequest'),
  };
  if (options.hedgeDelayMs !== undefined) positive(options.hedgeDelayMs, 0, 'hedgeDelayMs', true);

  const { primary, secondary, reader } = wireStores({
    store: options.store,
    secondaryStore: options.secondaryStore,
    clock,
    storeTimeoutMs,
    circuitBreaker: options.circuitBreaker,
    hedgeDelayMs: options.hedgeDelayMs,
    metrics,
    stats,
  });
  const secondaryStore = options.secondaryStore;
  const userViews = [...registry.views.values()].filter((v) => v.name !== HEARTBEAT_VIEW_NAME);
  const maxReadBatch = Math.min(
    options.store.capabilities.maxReadBatch,
    secondaryStore?.capabilities.maxReadBatch ?? Infinity,
  );
  const views = new Map<string, ViewRuntime>();
  for (const view of registry.views.values()) {
    views.set(
      view.name,
      createViewRuntime({
        view,
        reader,
        maxReadBatch,
        coalescing: options.coalescing ?? D.coalescing,
        batching: options.batching ?? D.batching,
        batchWindowMs: positive(options.batchWindowMs, D.batchWindowMs, 'batchWindowMs', true),
        maxBatchSize: positive(options.maxBatchSize, D.maxBatchSize, 'maxBatchSize'),
        hotKeys: options.hotKeys ?? {},
        clock,
        metrics,
        stats,
      }),
    );
  }

  const neg = options.negativeCache === false ? undefined : (options.negativeCache ?? {});
  const near =
    options.nearCache === false || options.hotKeys === false ? undefined : (options.nearCache ?? {});
  const lkg = options.lastKnownGood === false ? undefined : (options.lastKnownGood ?? {});
  const fresh = options.freshness ?? {};
  const servedLog = options.servedLog
    ? createServedLog(options.servedLog, {
        onWritten: (n) => {
          stats.servedLogRecords += n;
          metrics.servedLogRecords.inc({ outcome: 'written' }, n);
        },
        onDropped: (n) => {
          stats.servedLogDropped += n;
          metrics.servedLogRecords.inc({ outcome: 'dropped' }, n);
        },
        onFailed: (n) => {
          stats.servedLogErrors += Math.max(1, n);
          metrics.servedLogRecords.inc({ outcome: 'failed' }, n);
        },
      })
    : undefined;
  const ctx: EngineContext = {
    clock,
    metrics,
    stats,
    views,
    negativeCache: neg ? createNegativeCache({ clock, ...neg }) : undefined,
    nearCache: near
      ? createNearCache({ clock, maxEntries: near.maxEntries, refreshAheadRatio: near.refreshAheadRatio })
      : undefined,
    nearCacheTtlMs: positive(near?.ttlMs, D.nearCache.ttlMs, 'nearCache.ttlMs'),
    lastKnownGood: lkg ? createLastKnownGoodCache({ clock, maxEntries: lkg.maxEntries }) : undefined,
    statsProvider: options.statsProvider,
    tracker: createFreshnessTracker({
      clock,
      shortWindowMs: fresh.shortWindowMs,
      longWindowMs: fresh.longWindowMs,
      slotMs: fresh.slotMs,
    }),
    servedLog,
    storeTimeoutMs,
    epoch: { value: 0 },
  };

  const hb = options.heartbeat === false ? undefined : (options.heartbeat ?? {});
  const probe: HeartbeatProbe = createHeartbeatProbe({
    read: (view, keys, features, signal) => reader.read(view, keys, features, signal),
    views: userViews,
    clock,
    intervalMs: hb?.intervalMs,
    timeoutMs: hb?.timeoutMs,
    onResult: (s) => {
      stats.heartbeatProbes++;
      if (s.error !== undefined) stats.heartbeatProbeErrors++;
      metrics.heartbeatProbes.inc({ view: s.view, outcome: s.error === undefined ? 'ok' : 'error' });
      const now = clock.now();
      if (s.newestEmittedAt !== null)
        metrics.heartbeatAge.set({ view: s.view }, Math.max(0, now - s.newestEmittedAt) / 1000);
      for (const p of s.partitions) {
        if (p.emittedAt !== null) {
          metrics.heartbeatPartitionAge.set(
            { view: s.view, partition: String(p.partition) },
            Math.max(0, now - p.emittedAt) / 1000,
          );
        }
      }
    },
  });

  const freshnessMetrics = createFreshnessMetrics(metrics, ctx.tracker);
  freshnessMetrics.recordViewConfig(userViews);
  const planner = createRequestPlanner(registry, limits);
  let state: 'new' | 'ready' | 'closed' = 'new';
  const notReady = () =>
    state === 'closed'
      ? new StoreError('STORE_CLOSED', 'the feature server is closed', 'engine', { retryable: false })
      : new ValidationError('the feature server is not initialised: await init() first', 'init');

  const invalidate = (keys: readonly (readonly [string, string])[]) => {
    for (const [view, ks] of keys) {
      ctx.negativeCache?.invalidate(view, ks);
      ctx.nearCache?.invalidate(view, ks);
    }
  };

  return {
    registry,
    async init(opts) {
      if (state === 'closed') throw notReady();
      const all: FeatureView[] = [...registry.views.values()];
      if (!registry.views.has(HEARTBEAT_VIEW_NAME)) all.push(heartbeatView);
      await options.store.init(all, opts);
      await secondaryStore?.init(all, opts);
      if (hb && !probe.running) probe.start();
      state = 'ready';
    },
    get(request) {
      if (state !== 'ready') return Promise.reject(notReady());
      return getFeatures(ctx, planner, request);
    },
    async write(rows, opts) {
      if (state === 'closed') throw notReady();
      const keys: (readonly [string, string])[] = [];
      for (const row of Array.isArray(rows) ? rows : []) {
        const view =
          registry.views.get(row?.view) ?? (row?.view === HEARTBEAT_VIEW_NAME ? heartbeatView : undefined);
        if (!view) continue;
        try {
          keys.push([view.name, entityKeyToString(encodeEntityKey(view.entity, row.key))]);
        } catch {
          // An invalid key: the store rejects the batch with a ValidationError naming it.
        }
      }
      ctx.epoch.value++;
      invalidate(keys);
      try {
        await options.store.write(rows, opts);
      } finally {
        ctx.epoch.value++;
        invalidate(keys);
      }
    },
    freshness() {
      const report = buildFreshnessReport({
        views: userViews,
        tracker: ctx.tracker,
        heartbeat: (v) => probe.latest(v),
        clock,
        thresholds: fresh,
      });
      freshnessMetrics.recordReport(report, userViews);
      return report;
    },
    probeHeartbeats: () => probe.probeAll(),
    hotKeys(opts = {}) {
      const n = opts.n ?? 10;
      if (opts.view !== undefined && !views.has(opts.view)) registry.getView(opts.view);
      const out: HotKey[] = [];
      for (const rt of views.values()) {
        if (opts.view !== undefined && rt.view.name !== opts.view) continue;
        for (const h of rt.hotKeys?.top(n) ?? []) {
          out.push({ view: rt.view.name, ...h, cached: ctx.nearCache?.has(rt.view.name, h.key) ?? false });
        }
      }
      return out.sort((a, b) => b.count - a.count).slice(0, n);
    },
    async health(opts) {
      const check = async (g: GuardedStore, role: 'primary' | 'secondary'): Promise<StoreHealthReport> => {
        const signal = opts?.signal
          ? AbortSignal.any([opts.signal, AbortSignal.timeout(storeTimeoutMs)])
          : AbortSignal.timeout(storeTimeoutMs);
        let h: { ok: boolean; latencyMs: number; detail?: string };
        try {
          h = await g.store.health({ signal });
        } catch (error) {
          h = { ok: false, latencyMs: 0, detail: error instanceof Error ? error.message : String(error) };
        }
        return { role, name: g.name, ...h, circuit: g.breaker.state() };
      };
      const stores = await Promise.all([
        check(primary, 'primary'),
        ...(secondary ? [check(secondary, 'secondary')] : []),
      ]);
      return { ok: stores.some((s) => s.ok && s.circuit !== 'open' && s.circuit !== 'isolated'), stores };
    },
    stats() {
      let inFlight = 0;
      for (const rt of views.values()) inFlight += rt.reader.inFlight;
      return {
        ...stats,
        inFlightReads: inFlight,
        nearCacheEntries: ctx.nearCache?.size ?? 0,
        negativeCacheEntries: ctx.negativeCache?.size ?? 0,
        lastKnownGoodEntries: ctx.lastKnownGood?.size ?? 0,
        circuits: {
          primary: primary.breaker.state(),
          ...(secondary ? { secondary: secondary.breaker.state() } : {}),
        },
      };
    },
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      probe.stop();
      await servedLog?.close();
      if (options.closeStores ?? true) {
        await options.store.close();
        await secondaryStore?.close();
      }
    },
  };
}
