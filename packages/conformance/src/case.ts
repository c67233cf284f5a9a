import assert from 'node:assert/strict';
import {
  type EntityKey,
  type FeatureValue,
  type FeatureView,
  type OnlineStore,
  type ReadRow,
  readEntities,
  valuesEqual,
  type WriteRow,
} from '@granary/core';
import { seededRandom } from '@granary/core/testing';
import type {
  ConformanceBackdoor,
  ConformanceFaults,
  CreateContext,
  OnlineStoreConformanceOptions,
} from './options.js';

/** What every case receives. */
export interface CaseContext {
  /** The store under test, already initialised with the conformance views. */
  readonly store: OnlineStore;
  readonly options: OnlineStoreConformanceOptions;
  readonly faults: ConformanceFaults;
  readonly backdoor: ConformanceBackdoor;
  /** Seed for randomized cases. */
  readonly seed: number;
  /** A prefix unique to this case run, so cases never see each other's keys. */
  readonly uid: string;
  /** A `conf_user` key unique to this case. */
  userKey(suffix: string | number): EntityKey;
  /** The namespace of {@link store}. */
  readonly namespace: string;
  /**
   * Another store instance from `options.create`, initialised with the conformance views and closed when the
   * case ends. Default namespace: the suite's (the same data through a separate client); default clock: the
   * system clock.
   */
  open(ctx?: Partial<CreateContext>): Promise<OnlineStore>;
}

/** A hook or capability a case needs: missing, the case fails unless the adapter declares it in `without`. */
export type CaseNeed =
  | { readonly capability: 'faults'; readonly hook: keyof ConformanceFaults }
  | { readonly capability: 'backdoor'; readonly hook: keyof ConformanceBackdoor }
  | { readonly capability: 'clock' };

/** One conformance check. `skipReason` says why it cannot run for a given adapter, or undefined. */
export interface ConformanceCase {
  readonly group: string;
  readonly name: string;
  readonly timeoutMs?: number;
  /** Hooks the case needs (see {@link CaseNeed}). Default: none. */
  readonly needs?: readonly CaseNeed[];
  /** Why the case does not apply to this store (a capability it does not claim), or undefined. */
  skipReason?(ctx: CaseContext): string | undefined;
  run(ctx: CaseContext): Promise<void>;
}

/** Asserts that a stored value equals the expected one (NaN equals NaN; -0 differs from 0; bytes by content). */
export function assertValue(actual: FeatureValue | undefined, expected: FeatureValue, what: string): void {
  if (actual === undefined || !valuesEqual(actual, expected)) {
    assert.fail(
      `${what}: expected ${show(expected)}, got ${actual === undefined ? 'nothing (absent)' : show(actual)}`,
    );
  }
}

/** A readable rendering of a value for assertion messages. */
export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `bytes[${v.length}](${Buffer.from(v).toString('hex').slice(0, 40)})`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v))
    return `[${v.slice(0, 8).map(show).join(', ')}${v.length > 8 ? `, ... ${v.length}` : ''}]`;
  return JSON.stringify(v) ?? String(v);
}

/** Writes rows, then reads one key's features back. */
export async function writeThenRead(
  store: OnlineStore,
  rows: WriteRow[],
  view: FeatureView,
  key: EntityKey,
  features: string[],
): Promise<ReadRow> {
  await store.write(rows);
  const [row] = await readEntities(store, view, [key], features);
  assert.ok(row, 'read returned no row for the key');
  return row;
}

/** A deterministic pseudo-random generator for the randomized cases: core's `seededRandom`. */
export const createRng: (seed: number) => () => number = seededRandom;
