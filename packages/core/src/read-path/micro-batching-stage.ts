import {
  type BatchResult,
  createMicroBatcher,
  MICRO_BATCH_DEFAULTS,
  type MicroBatcher,
} from '../coalescing/micro-batcher.js';
import type { FeatureView } from '../registry/feature-view.js';
import { positive } from '../serving/option-checks.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import { perView } from '../telemetry/label-cache.js';
import type { KeyOutcome, ReadNext, ReadStage, StageRead } from './read-stage.js';

/** The engine options the micro-batching stage owns. */
export interface MicroBatchingStageOptions {
  /** Micro-batching per view (one store read per batch). Default: true. */
  batching?: boolean;
  /**
   * Micro-batch window, ms. 0: reads of the same synchronous run share a batch, and while a read of the view
   * is in flight a batch also gathers the reads of the current event-loop turn (see `createMicroBatcher`).
   * Default: 0.
   */
  batchWindowMs?: number;
  /** Key reads that make a batch dispatch at once. Default: 1000. */
  maxBatchSize?: number;
}

/** Defaults of {@link MicroBatchingStageOptions}. */
export const MICRO_BATCHING_STAGE_DEFAULTS = Object.freeze({
  batching: true,
  batchWindowMs: MICRO_BATCH_DEFAULTS.windowMs,
  maxBatchSize: MICRO_BATCH_DEFAULTS.maxBatchSize,
});

/** What the micro-batching stage needs besides its options. */
export interface MicroBatchingStageDeps {
  /** The stores' `capabilities.maxReadBatch`: a batch is split into reads of at most this many keys. */
  readonly maxReadBatch: number;
  readonly metrics: Pick<EngineMetrics, 'batchSize'>;
}

/** The distinct features the reads of a batch asked for, in first-asked order. */
function union(items: readonly StageRead[]): string[] {
  const features = new Set<string>();
  for (const item of items) for (const f of item.features) features.add(f);
  return [...features];
}

/**
 * Creates the micro-batching stage (undefined when disabled): concurrent reads of a view gather into one
 * batch (adaptive window, see `MicroBatchingStageOptions.batchWindowMs`), which goes down as one read per
 * `maxReadBatch` distinct keys with the union of the features its reads asked for. When every read of the
 * batch asked for the same feature list, that very array goes down, so stores may cache per-list read plans
 * by identity. Each read keeps its own signal; the batch's signal aborts when all of them did.
 */
export function createMicroBatchingStage(
  options: MicroBatchingStageOptions,
  deps: MicroBatchingStageDeps,
): ReadStage | undefined {
  const windowMs = positive(
    options.batchWindowMs,
    MICRO_BATCHING_STAGE_DEFAULTS.batchWindowMs,
    'batchWindowMs',
    true,
  );
  const maxBatchSize = positive(
    options.maxBatchSize,
    MICRO_BATCHING_STAGE_DEFAULTS.maxBatchSize,
    'maxBatchSize',
  );
  if (options.batching === false) return undefined;
  const chunkSize = Math.max(1, Math.min(deps.maxReadBatch, Number.MAX_SAFE_INTEGER));
  const batchers = new Map<FeatureView, MicroBatcher<StageRead, readonly KeyOutcome[]>>();
  const labels = perView((view) => ({ view }));

  const dispatch = async (
    view: FeatureView,
    items: readonly StageRead[],
    signal: AbortSignal,
    next: ReadNext,
  ) => {
    const index = new Map<EntityKeyString, number>();
    const keys: EntityKeyString[] = [];
    // The common case (every read asked for the same list, often one read) passes that array on as is.
    let shared: readonly string[] | undefined = items[0]?.features;
    for (const item of items) {
      for (const key of item.keys) {
        if (!index.has(key)) {
          index.set(key, keys.length);
          keys.push(key);
        }
      }
      if (item.features !== shared) shared = undefined;
    }
    const features = shared ?? union(items);
    const reads: Promise<BatchResult<readonly KeyOutcome[]>>[] = [];
    for (let i = 0; i < keys.length; i += chunkSize) {
      const chunk = keys.slice(i, i + chunkSize);
      reads.push(
        next({ view, keys: chunk, features, signal, minEventTime: undefined, hot: false }).then(
          (value): BatchResult<readonly KeyOutcome[]> => ({ ok: true, value }),
          (error: unknown): BatchResult<readonly KeyOutcome[]> => ({ ok: false, error }),
        ),
      );
    }
    const results = await Promise.all(reads);
    return items.map((item): BatchResult<readonly KeyOutcome[]> => {
      const outcomes: KeyOutcome[] = [];
      for (const key of item.keys) {
        const at = index.get(key) as number;
        const r = results[Math.floor(at / chunkSize)] as BatchResult<readonly KeyOutcome[]>;
        if (!r.ok) return r;
        outcomes.push(r.value[at % chunkSize] as KeyOutcome);
      }
      return { ok: true, value: outcomes };
    });
  };

  // A stage instance belongs to one read path, so `next` is the same for every read of a view.
  const batcherOf = (view: FeatureView, next: ReadNext) => {
    let b = batchers.get(view);
    if (!b) {
      const viewLabels = labels(view.name);
      b = createMicroBatcher<StageRead, readonly KeyOutcome[]>({
        dispatch: (items, signal) => dispatch(view, items, signal, next),
        windowMs,
        maxBatchSize,
        onBatch: (size) => deps.metrics.batchSize.observe(viewLabels, size),
      });
      batchers.set(view, b);
    }
    return b;
  };

  return {
    name: 'micro-batching',
    read: (read, next) => batcherOf(read.view, next).load(read, { signal: read.signal }),
  };
}
