import { createReadCoalescer, type ReadCoalescer } from '../coalescing/read-coalescer.js';
import type { FeatureView } from '../registry/feature-view.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { ReadRow } from '../store/online-store.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import { perView } from '../telemetry/label-cache.js';
import { eachKey, type KeyOutcome, type ReadNext, type ReadStage, type StageRead } from './read-stage.js';

/** The engine options the coalescing stage owns. */
export interface CoalescingStageOptions {
  /** Single flight per (view, key). Default: true. */
  coalescing?: boolean;
}

/** Defaults of {@link CoalescingStageOptions}. */
export const COALESCING_STAGE_DEFAULTS = Object.freeze({ coalescing: true });

/** The third stage: single flight per (view, key), aware of feature subsets. */
export interface CoalescingStage extends ReadStage {
  /** Reads in flight (one per distinct key and feature group). */
  readonly inFlight: number;
}

/**
 * Creates the coalescing stage (undefined when disabled): a read joins the reads of the same key already in
 * flight for the features they cover and starts one read (through the stages below) for the rest. Each
 * caller keeps its own signal: aborting it rejects that caller only, and a shared read is cancelled only
 * when every caller left. Below this stage, reads carry no watermark (it is applied above).
 */
export function createCoalescingStage(
  options: CoalescingStageOptions,
  deps: { readonly metrics: Pick<EngineMetrics, 'coalescedWaiters'> },
): CoalescingStage | undefined {
  if (options.coalescing === false) return undefined;
  const coalescers = new Map<FeatureView, ReadCoalescer<readonly KeyOutcome[]>>();
  const joinLabels = perView((view) => ({ view }));
  // The batcher's outcome is the row of the read; the coalescer builds this stage's outcome in the same
  // continuation that delivers it (one per read).
  const rowOf = (outcomes: readonly KeyOutcome[]) => (outcomes[0] as KeyOutcome).row;
  const result = (
    row: ReadRow,
    failures: ReadonlyMap<string, unknown> | undefined,
  ): readonly KeyOutcome[] => [{ row, source: 'store', failures }];

  // A stage instance belongs to one read path, so `next` is the same for every read of a view.
  const coalescerOf = (view: FeatureView, next: ReadNext) => {
    let c = coalescers.get(view);
    if (!c) {
      const labels = joinLabels(view.name);
      c = createReadCoalescer({
        load: (keyRead, signal) =>
          next({
            view,
            keys: [keyRead.keyString as EntityKeyString],
            features: keyRead.features,
            signal,
            minEventTime: undefined,
            hot: false,
          }),
        rowOf,
        result,
        onJoin: () => deps.metrics.coalescedWaiters.inc(labels),
      });
      coalescers.set(view, c);
    }
    return c;
  };

  const readOne = (read: StageRead, next: ReadNext): Promise<readonly KeyOutcome[]> =>
    coalescerOf(read.view, next).read(read.keys[0] as EntityKeyString, read.features, read.signal);

  return {
    name: 'coalescing',
    read(read, next) {
      if (read.keys.length === 1) return readOne(read, next);
      return eachKey(read, (one) => readOne(one, next));
    },
    get inFlight() {
      let n = 0;
      for (const c of coalescers.values()) n += c.inFlight;
      return n;
    },
  };
}
