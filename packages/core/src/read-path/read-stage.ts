import type { FeatureView } from '../registry/feature-view.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { ReadRow } from '../store/online-store.js';

/** A read of some features of some keys of one view, as it travels down the read path. */
export interface StageRead {
  readonly view: FeatureView;
  readonly keys: readonly EntityKeyString[];
  readonly features: readonly string[];
  /** The request's deadline (or a background read's timeout); stages below may narrow it. */
  readonly signal: AbortSignal;
  /** The request's consistency watermark: the cache stages do not answer with values behind it. */
  readonly minEventTime: number | undefined;
  /**
   * Set by the near-cache stage on reads of hot keys: the negative cache leaves them alone, so that the
   * near cache is filled from a read of every requested feature.
   */
  readonly hot: boolean;
}

/** What the read path learned about one key. */
export interface KeyOutcome {
  /** Values found. A requested feature that is neither here nor in `failures` is absent (NOT_FOUND). */
  readonly row: ReadRow;
  /** Whether the values came from a store read or the near cache. */
  readonly source: 'store' | 'cache';
  /** Features that could not be read, with the error (undefined when none). */
  readonly failures: ReadonlyMap<string, unknown> | undefined;
}

/** Reads through the rest of the path: one outcome per key of `read`, in order. */
export type ReadNext = (read: StageRead) => Promise<readonly KeyOutcome[]>;

/**
 * One stage of the read path. A stage answers what it can and hands the rest to `next` (the stages below
 * it); it may also narrow the read (fewer features, a tighter signal) or merge reads (the micro-batcher).
 * It resolves with one outcome per key of `read`, in order, or rejects when the whole read failed (every
 * key and feature of it, with that error): failures of some features of some keys are reported in the
 * outcomes. A stage owns its options, its defaults and its telemetry.
 */
export interface ReadStage {
  /** A short name for docs, tests and errors (`near-cache`, `store`, ...). */
  readonly name: string;
  read(read: StageRead, next: ReadNext): Promise<readonly KeyOutcome[]>;
}

/** Chains `stages` top to bottom: the returned function reads through the first one. */
export function composeStages(stages: readonly ReadStage[]): ReadNext {
  let next: ReadNext = (read) =>
    Promise.reject(new Error(`the read path of ${read.view.name} ended without a store stage`));
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i] as ReadStage;
    const below = next;
    next = (read) => stage.read(read, below);
  }
  return next;
}

/** Runs `one` on each key of `read` as a read of its own (for stages that decide per key). */
export function eachKey(
  read: StageRead,
  one: (read: StageRead) => Promise<readonly KeyOutcome[]>,
): Promise<readonly KeyOutcome[]> {
  return Promise.all(read.keys.map((key) => one({ ...read, keys: [key] }).then((o) => o[0] as KeyOutcome)));
}

/** The outcome of every key of a read that failed as a whole: each requested feature failed with `error`. */
export function failedOutcomes(read: StageRead, error: unknown): KeyOutcome[] {
  const failures = new Map<string, unknown>();
  for (const f of read.features) failures.set(f, error);
  return read.keys.map(() => ({ row: EMPTY_ROW, source: 'store', failures }));
}

/** The empty row, shared. */
export const EMPTY_ROW: ReadRow = Object.freeze({});
