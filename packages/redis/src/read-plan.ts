import type { FeatureView } from '@granary/core';
import type { ChainableCommander } from 'ioredis';
import type { BatchCommand } from './batches.js';
import { WRITTEN_AT_FIELD } from './key-layout.js';
import { type RowDecoder, rowDecoder } from './read-row.js';
import type { CellReader } from './stored-cell.js';

/** Distinct feature lists whose read plans are kept by content; past this the cache starts over. */
const READ_PLAN_CACHE_SIZE = 1024;

/** How to read one feature list of one view: the HMGET fields, the pipelined command, the row decoder. */
export interface ReadPlan {
  readonly view: FeatureView;
  readonly features: readonly string[];
  /** The features' field ids, then the writtenAt field. */
  readonly fields: readonly string[];
  /** `<keyPrefix><view>:{`: a row key is this, the canonical key string and `}`. */
  readonly head: string;
  readonly command: BatchCommand<string, (Buffer | null)[]>;
  readonly decoder: RowDecoder;
}

/** What the read plans need from the store. */
export interface ReadPlanContext {
  readonly keyPrefix: string;
  /** Field ids of a view's features (computed at init). */
  fieldIds(view: FeatureView): ReadonlyMap<string, string>;
  readonly cells: CellReader;
  /** The store's name, for errors. */
  readonly store: string;
}

/** The read plans of one store. */
export interface ReadPlans {
  get(view: FeatureView, features: readonly string[]): ReadPlan;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function readCommand(fields: readonly string[]): BatchCommand<string, (Buffer | null)[]> {
  return {
    key: (key) => key,
    single: (client, key) => client.hmgetBuffer(key, ...fields),
    queue: (pipeline: ChainableCommander, key) => {
      pipeline.hmgetBuffer(key, ...fields);
    },
  };
}

/**
 * The read plans of a store, cached on the features array (the engine hands the store the same array again)
 * and, for a new array with the same content, on the list itself (building a decoder compiles a function:
 * far too slow per read). A cached copy is compared element by element, so a mutated array is a miss.
 */
export function createReadPlans(ctx: ReadPlanContext): ReadPlans {
  const byArray = new WeakMap<readonly string[], ReadPlan>();
  const byList = new Map<string, ReadPlan>();
  return {
    get(view, features) {
      const cached = byArray.get(features);
      if (cached && cached.view === view && sameList(cached.features, features)) return cached;
      const signature = `${view.name}\u0000${features.join('\u0000')}`;
      const known = byList.get(signature);
      if (known && known.view === view) {
        byArray.set(features, known);
        return known;
      }
      const ids = ctx.fieldIds(view);
      const fields = features.map((f) => ids.get(f) as string);
      fields.push(WRITTEN_AT_FIELD);
      const plan: ReadPlan = {
        view,
        features: [...features],
        fields,
        head: `${ctx.keyPrefix}${view.name}:{`,
        command: readCommand(fields),
        decoder: rowDecoder(view, features, ctx.cells, ctx.store),
      };
      byArray.set(features, plan);
      if (byList.size >= READ_PLAN_CACHE_SIZE) byList.clear();
      byList.set(signature, plan);
      return plan;
    },
  };
}
