import { createHotKeyDetector, type HotKeyOptions } from '../coalescing/hot-key-detector.js';
import { type BatchResult, createMicroBatcher } from '../coalescing/micro-batcher.js';
import { createReadCoalescer, type KeyRead, type ReadCoalescer } from '../coalescing/read-coalescer.js';
import type { ResilientReader } from '../fallback/resilient-reader.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { ReadRow } from '../store/online-store.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import type { ServingStats } from '../telemetry/serving-stats.js';
import type { Clock } from '../time/clock.js';
import type { ViewRuntime } from './engine-context.js';

/** Inputs of {@link createViewRuntime}. */
export interface ViewRuntimeOptions {
  readonly view: FeatureView;
  readonly reader: ResilientReader;
  /** The store's `capabilities.maxReadBatch`: batches are split into reads of at most this many keys. */
  readonly maxReadBatch: number;
  readonly coalescing: boolean;
  readonly batching: boolean;
  readonly batchWindowMs: number;
  readonly maxBatchSize: number;
  readonly hotKeys: HotKeyOptions | false;
  readonly clock: Clock;
  readonly metrics: EngineMetrics;
  readonly stats: ServingStats;
}

/** The distinct features the readers of a batch asked for, in first-asked order. */
function union(items: readonly KeyRead[]): string[] {
  const features = new Set<string>();
  for (const item of items) for (const f of item.features) features.add(f);
  return [...features];
}

/**
 * Builds the read path of one view: single flight (per key, feature-aware) over a micro-batcher whose
 * dispatch sends one store read per chunk of `maxReadBatch` distinct keys, with the union of the features
 * the batch's readers asked for.
 */
export function createViewRuntime(options: ViewRuntimeOptions): ViewRuntime {
  const { view, reader, metrics, stats } = options;
  const labels = Object.freeze({ view: view.name });
  const chunkSize = Math.max(1, Math.min(options.maxReadBatch, Number.MAX_SAFE_INTEGER));

  const dispatch = async (
    items: readonly KeyRead[],
    signal: AbortSignal,
  ): Promise<BatchResult<ReadRow>[]> => {
    const index = new Map<string, number>();
    const keys: EntityKeyString[] = [];
    // The common case (every reader asked for the same list, often one reader) passes that array on as is:
    // no union to build, and stores may cache per-list read plans on the array's identity.
    let shared: readonly string[] | undefined = items[0]?.features;
    for (const item of items) {
      if (!index.has(item.keyString)) {
        index.set(item.keyString, keys.length);
        keys.push(item.keyString as EntityKeyString);
      }
      if (item.features !== shared) shared = undefined;
    }
    const names = shared ?? union(items);
    const chunks: EntityKeyString[][] = [];
    for (let i = 0; i < keys.length; i += chunkSize) chunks.push(keys.slice(i, i + chunkSize));
    const results = await Promise.all(
      chunks.map((chunk) =>
        reader.read(view, chunk, names, signal).then(
          (rows): BatchResult<ReadRow[]> => ({ ok: true, value: rows }),
          (error: unknown): BatchResult<ReadRow[]> => ({ ok: false, error }),
        ),
      ),
    );
    return items.map((item): BatchResult<ReadRow> => {
      const i = index.get(item.keyString) as number;
      const r = results[Math.floor(i / chunkSize)] as BatchResult<ReadRow[]>;
      return r.ok ? { ok: true, value: r.value[i % chunkSize] ?? {} } : r;
    });
  };

  let load: (read: KeyRead, signal: AbortSignal) => Promise<ReadRow>;
  if (options.batching) {
    const batcher = createMicroBatcher<KeyRead, ReadRow>({
      dispatch,
      windowMs: options.batchWindowMs,
      maxBatchSize: options.maxBatchSize,
      onBatch: (size) => {
        stats.batches++;
        stats.batchedKeyReads += size;
        metrics.batchSize.observe(labels, size);
      },
    });
    load = (read, signal) => batcher.load(read, { signal });
  } else {
    load = async (read, signal) => {
      const [r] = await dispatch([read], signal);
      if (!r?.ok) throw r?.error;
      return r.value;
    };
  }

  const coalescer: ReadCoalescer = options.coalescing
    ? createReadCoalescer({
        load,
        onJoin: () => {
          stats.coalescedWaiters++;
          metrics.coalescedWaiters.inc(labels);
        },
      })
    : {
        read: (keyString, key, features, signal) =>
          load({ keyString, key, features }, signal ?? new AbortController().signal).then((row) => ({
            row,
            failures: undefined,
          })),
        inFlight: 0,
      };

  type LabelSet = Readonly<Record<string, string>>;
  const served = new Map<string, Record<string, Record<string, LabelSet>>>();
  const servedLabels = (feature: string, status: string, source: string): LabelSet => {
    let byStatus = served.get(feature);
    if (!byStatus) {
      byStatus = {};
      served.set(feature, byStatus);
    }
    let bySource = byStatus[status];
    if (!bySource) {
      bySource = {};
      byStatus[status] = bySource;
    }
    let labels = bySource[source];
    if (!labels) {
      labels = Object.freeze({ view: view.name, feature, status, source });
      bySource[source] = labels;
    }
    return labels;
  };

  return {
    view,
    servedLabels,
    reader: coalescer,
    hotKeys: options.hotKeys === false ? undefined : createHotKeyDetector(options.clock, options.hotKeys),
    labels,
  };
}
