import { compareVersions, type PreparedRow, ValidationError } from '@granary/core';
import { retentionTtlSeconds } from './retention-ttl.js';
import { MAX_EVENT_TIME_MS, writeTimestamp } from './write-timestamp.js';

/** One feature cell to set. */
export interface CellWrite {
  readonly feature: string;
  readonly bytes: Uint8Array;
  /** The write timestamp (µs), see {@link writeTimestamp}. */
  readonly timestamp: bigint;
}

/** Cells of one partition (view, entity) sent in one request: a single statement or an unlogged batch. */
export interface PartitionWrite {
  readonly view: string;
  readonly key: Uint8Array;
  readonly ttlSeconds: number;
  readonly cells: readonly CellWrite[];
}

interface Candidate {
  readonly eventTime: number;
  readonly bytes: Uint8Array;
  readonly cell: CellWrite;
}

/**
 * Turns a validated batch into per-partition requests. Checks that every event time fits a Cassandra write
 * timestamp (ValidationError naming `rows[i].eventTime` or `rows[i].eventTimes.<feature>`), groups rows by
 * partition, keeps one cell per feature (the winner of the shared rule, as Cassandra would keep it: event times
 * at ms resolution) and splits a partition whose value bytes exceed `maxBatchBytes` into several requests.
 */
export function planWrites(prepared: readonly PreparedRow[], maxBatchBytes: number): PartitionWrite[] {
  const partitions = new Map<string, { row: PreparedRow; cells: Map<string, Candidate> }>();
  for (const row of prepared) {
    const id = `${row.view.name}\u0000${row.keyString}`;
    let partition = partitions.get(id);
    if (!partition) {
      partition = { row, cells: new Map() };
      partitions.set(id, partition);
    }
    for (const f of row.features) {
      if (Math.abs(f.eventTime) > MAX_EVENT_TIME_MS) {
        throw new ValidationError(
          `event time ${f.eventTime} is outside the Date range (±${MAX_EVENT_TIME_MS} ms)`,
          f.ownEventTime ? `rows[${row.index}].eventTimes.${f.name}` : `rows[${row.index}].eventTime`,
        );
      }
      const type = row.view.featuresByName.get(f.name)?.type ?? 'bytes';
      const eventTime = Math.floor(f.eventTime);
      const incoming: Candidate = {
        eventTime,
        bytes: f.bytes,
        cell: { feature: f.name, bytes: f.bytes, timestamp: writeTimestamp(eventTime, type, f.bytes) },
      };
      if (compareVersions(incoming, partition.cells.get(f.name)) > 0) partition.cells.set(f.name, incoming);
    }
  }

  const out: PartitionWrite[] = [];
  for (const { row, cells } of partitions.values()) {
    const base = { view: row.view.name, key: row.key, ttlSeconds: retentionTtlSeconds(row.view) };
    let batch: CellWrite[] = [];
    let bytes = 0;
    for (const { cell } of cells.values()) {
      if (batch.length > 0 && bytes + cell.bytes.length > maxBatchBytes) {
        out.push({ ...base, cells: batch });
        batch = [];
        bytes = 0;
      }
      batch.push(cell);
      bytes += cell.bytes.length;
    }
    if (batch.length > 0) out.push({ ...base, cells: batch });
  }
  return out;
}
