import { compareVersions, encodeValue, type FeatureValue, type ValueType, valuesEqual } from '@granary/core';

/** One write attempt of one feature, as the ledger keeps it. */
interface Attempt {
  readonly eventTime: number;
  readonly bytes: Uint8Array;
  readonly value: FeatureValue;
  readonly startedAt: number;
  /** When the store acknowledged it (its write call resolved); undefined while pending or after a failure. */
  ackedAt?: number;
}

/** What a read returned for one feature (undefined: absent). */
export interface ObservedValue {
  readonly value: FeatureValue;
  readonly eventTime: number;
}

/** A read or final value that breaks last-writer-wins against what was acknowledged. */
export interface Violation {
  readonly kind: 'lost' | 'regressed' | 'unknown-value';
  readonly cell: string;
  readonly detail: string;
}

/**
 * Records every write attempt per (key, feature) and tells, for any value read later, whether it is correct:
 * never a value nobody wrote (`unknown-value`), never older than a write acknowledged before the read began
 * (`regressed`; absent counts as older). A final value older than the fold of acknowledged writes is `lost`.
 * Versions compare with Granary's rule (`compareVersions`: event time, then encoded bytes).
 */
export function createLedger(type: ValueType) {
  const cells = new Map<string, Attempt[]>();
  const now = () => performance.now();

  /** The greatest version acknowledged before `before` (default: ever). */
  const fold = (cell: string, before = Number.POSITIVE_INFINITY) => {
    let best: Attempt | undefined;
    for (const a of cells.get(cell) ?? []) {
      if (a.ackedAt !== undefined && a.ackedAt < before && compareVersions(a, best) > 0) best = a;
    }
    return best;
  };

  const judge = (
    cell: string,
    seen: ObservedValue | undefined,
    floor: Attempt | undefined,
    kind: 'lost' | 'regressed',
  ): Violation | undefined => {
    if (seen === undefined) {
      return floor ? { kind, cell, detail: `absent, but ${describe(floor)} was acknowledged` } : undefined;
    }
    const bytes = encodeValue(type, seen.value);
    const known = (cells.get(cell) ?? []).some(
      (a) => a.eventTime === seen.eventTime && valuesEqual(a.value, seen.value),
    );
    if (!known)
      return { kind: 'unknown-value', cell, detail: `read ${describe(seen)}, which no writer wrote` };
    if (floor && compareVersions({ eventTime: seen.eventTime, bytes }, floor) < 0) {
      return { kind, cell, detail: `read ${describe(seen)}, older than the acknowledged ${describe(floor)}` };
    }
    return undefined;
  };

  return {
    /** Notes a write about to be sent; returns the handle to settle when the write call settles. */
    begin(cell: string, value: FeatureValue, eventTime: number) {
      const attempt: Attempt = { eventTime, bytes: encodeValue(type, value), value, startedAt: now() };
      const list = cells.get(cell);
      if (list) list.push(attempt);
      else cells.set(cell, [attempt]);
      return {
        acked() {
          attempt.ackedAt = now();
        },
      };
    },
    /** The time a read should record as its start (pass it to `checkRead`). */
    now,
    /** Checks a value read by a read that began at `startedAt`. */
    checkRead(cell: string, seen: ObservedValue | undefined, startedAt: number): Violation | undefined {
      return judge(cell, seen, fold(cell, startedAt), 'regressed');
    },
    /** Checks the value read after the workload stopped against every acknowledged write. */
    checkFinal(cell: string, seen: ObservedValue | undefined): Violation | undefined {
      return judge(cell, seen, fold(cell), 'lost');
    },
    /** The cells written so far. */
    cells: () => [...cells.keys()],
    /** How many writes were acknowledged. */
    acknowledged: () => [...cells.values()].reduce((n, list) => n + list.filter((a) => a.ackedAt).length, 0),
  };
}

/** The type of {@link createLedger}'s result. */
export type Ledger = ReturnType<typeof createLedger>;

function describe(v: { value: FeatureValue; eventTime: number }): string {
  return `${String(v.value)}@${v.eventTime}`;
}
