import { type EntityKey, type FeatureValue, isGranaryError, sleep, type WriteRow } from '@granary/core';
import type { Ledger, ObservedValue, Violation } from './ledger.js';

/** What one read returned for one key. */
export interface ReadOutcome {
  /** The value served, or undefined when absent. */
  readonly seen: ObservedValue | undefined;
  /**
   * True for a value the store returned (checked against every write acknowledged before the read began);
   * false for a fallback or a cached value (checked only to be a value some writer wrote).
   */
  readonly authoritative: boolean;
}

/** Where the workload writes and reads: a store directly, or the serving engine. */
export interface WorkloadTarget {
  readonly name: string;
  write(rows: readonly WriteRow[]): Promise<void>;
  /** One outcome per key; rejects (with a typed Granary error, else it is a violation) when the read fails. */
  read(keys: readonly EntityKey[]): Promise<ReadOutcome[]>;
}

export interface WorkloadOptions {
  readonly ledger: Ledger;
  readonly view: string;
  readonly feature: string;
  /** Entity keys the workload spreads over. */
  readonly keys: readonly EntityKey[];
  /** Cell name of a key in the ledger. */
  readonly cellOf: (key: EntityKey) => string;
  readonly writers: readonly WorkloadTarget[];
  readonly readers: readonly WorkloadTarget[];
  /** Rows per write call: 1 (a single command) or more (one batch over several keys). Default: [1, 4]. */
  readonly writeBatch?: readonly number[];
  /** Keys per read call. Default: [1, 8]. */
  readonly readBatch?: readonly number[];
  /** Event times are `base + [0, spread)`, random, so many writes are older than what is stored. */
  readonly eventTimeBase: number;
  readonly eventTimeSpread?: number;
  /** Pause between operations of one loop, ms. Default: 2. */
  readonly pauseMs?: number;
  /** Pause after a failed operation, ms (a client backs off; a tight retry loop would starve the nodes). Default: 100. */
  readonly failurePauseMs?: number;
  /** Deterministic choices (seeded). */
  readonly random: () => number;
}

/** One failed operation, for the failure window. */
export interface FailedOp {
  readonly op: 'write' | 'read';
  readonly target: string;
  readonly code: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface WorkloadReport {
  readonly writesAcknowledged: number;
  readonly writesFailed: number;
  readonly readsOk: number;
  /** Values served from a fallback or cache (not from the store). */
  readonly readsFallback: number;
  readonly readsFailed: number;
  readonly failures: readonly FailedOp[];
  readonly violations: readonly Violation[];
  /** Counts of failure codes. */
  readonly codes: Readonly<Record<string, number>>;
}

/**
 * Runs writer and reader loops until `stop()` resolves them: random keys, random event times, values that name
 * their writer and sequence number. Every read is checked at once against the ledger; every failure must be a
 * typed Granary error (`code`, `retryable`), anything else is a violation.
 */
export function startWorkload(options: WorkloadOptions) {
  const { ledger, random } = options;
  const spread = options.eventTimeSpread ?? 1_000_000;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const failures: FailedOp[] = [];
  const violations: Violation[] = [];
  const codes: Record<string, number> = {};
  const counts = { acked: 0, writesFailed: 0, readsOk: 0, readsFallback: 0, readsFailed: 0 };
  let running = true;

  const failed = (op: 'write' | 'read', target: string, error: unknown, startedAt: number) => {
    const code = isGranaryError(error) ? error.code : 'UNTYPED';
    codes[code] = (codes[code] ?? 0) + 1;
    failures.push({ op, target, code, startedAt, endedAt: ledger.now() });
    if (!isGranaryError(error) || (error.code.startsWith('STORE_') && !error.retryable)) {
      violations.push({ kind: 'unknown-value', cell: '-', detail: `${op} failed with ${String(error)}` });
    }
  };

  const writer = async (target: WorkloadTarget, id: number) => {
    for (let seq = 0; running; seq++) {
      const size = pick(options.writeBatch ?? [1, 4]);
      const keys = new Map(
        Array.from({ length: size }, () => pick(options.keys)).map((k) => [options.cellOf(k), k]),
      );
      const rows: WriteRow[] = [];
      const handles: { acked(): void }[] = [];
      for (const [cell, key] of keys) {
        const value: FeatureValue = `${target.name}-${id}:${seq}`;
        const eventTime = options.eventTimeBase + Math.floor(random() * spread);
        handles.push(ledger.begin(cell, value, eventTime));
        rows.push({ view: options.view, key, values: { [options.feature]: value }, eventTime });
      }
      const startedAt = ledger.now();
      try {
        await target.write(rows);
        for (const h of handles) h.acked();
        counts.acked += handles.length;
      } catch (error) {
        counts.writesFailed++;
        failed('write', target.name, error, startedAt);
        await sleep(options.failurePauseMs ?? 100);
      }
      await sleep(options.pauseMs ?? 2);
    }
  };

  const reader = async (target: WorkloadTarget) => {
    while (running) {
      const keys = Array.from({ length: pick(options.readBatch ?? [1, 8]) }, () => pick(options.keys));
      const startedAt = ledger.now();
      try {
        const outcomes = await target.read(keys);
        counts.readsOk++;
        outcomes.forEach((o, i) => {
          const cell = options.cellOf(keys[i] as EntityKey);
          if (!o.authoritative) counts.readsFallback++;
          const v = o.authoritative
            ? ledger.checkRead(cell, o.seen, startedAt)
            : o.seen && ledger.checkRead(cell, o.seen, Number.NEGATIVE_INFINITY);
          if (v) violations.push(v);
        });
      } catch (error) {
        counts.readsFailed++;
        failed('read', target.name, error, startedAt);
        await sleep(options.failurePauseMs ?? 100);
      }
      await sleep(options.pauseMs ?? 2);
    }
  };

  const loops = [
    ...options.writers.flatMap((t) => [writer(t, 0), writer(t, 1)]),
    ...options.readers.map((t) => reader(t)),
  ];

  return {
    /** Failures so far (the test watches them to see a fault take effect). */
    failures: (): readonly FailedOp[] => failures,
    /** Successful operations so far. */
    successes: () => counts.acked + counts.readsOk,
    /** Stops the loops, waits for the operations in flight, and reports. */
    async stop(): Promise<WorkloadReport> {
      running = false;
      await Promise.all(loops);
      return {
        writesAcknowledged: counts.acked,
        writesFailed: counts.writesFailed,
        readsOk: counts.readsOk,
        readsFallback: counts.readsFallback,
        readsFailed: counts.readsFailed,
        failures,
        violations,
        codes,
      };
    },
  };
}

/**
 * After the workload: reads every cell (retrying typed failures for up to `timeoutMs`) and checks each against
 * the ledger's fold of acknowledged writes. Returns the lost or regressed cells (empty: all acknowledged writes
 * are there and last-writer-wins held).
 */
export async function finalCheck(
  ledger: Ledger,
  keys: readonly EntityKey[],
  cellOf: (key: EntityKey) => string,
  read: (keys: readonly EntityKey[]) => Promise<(ObservedValue | undefined)[]>,
  timeoutMs = 60_000,
): Promise<Violation[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const seen = await read(keys);
      return keys.flatMap((key, i) => ledger.checkFinal(cellOf(key), seen[i]) ?? []);
    } catch (error) {
      if (!isGranaryError(error) || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}
