import {
  compareVersions,
  encodeValue,
  entityKeyString,
  type FeatureValue,
  type FeatureView,
  type WriteRow,
} from '@granary/core';

/** The newest version of one feature seen so far in a fold. */
interface Cell {
  readonly name: string;
  readonly value: FeatureValue;
  readonly eventTime: number;
  /** The encoded value, computed only when a tie on event time needs it. */
  bytes: Uint8Array | undefined;
}

/** The rows of one (view, entity key): the first as given, and its cells once a second row arrived. */
interface Group {
  readonly first: WriteRow;
  readonly view: FeatureView;
  cells: Map<string, Cell> | undefined;
}

/**
 * Folds write rows per (view, entity key) and feature by Granary's last-writer-wins rule (core's
 * `compareVersions`: newer event time wins, equal times go to the greater encoded value), so one chunk writes
 * each feature of each key once. Pure: the same rows give the same result, in the order each key first
 * appeared. Writing the folded rows leaves a store exactly as writing the rows themselves (in any order)
 * would, because the store applies the same rule.
 */
export type RowFolder = (rows: readonly WriteRow[]) => WriteRow[];

/**
 * Creates a {@link RowFolder} over the views `viewOf` knows. A key seen once keeps its row object unchanged;
 * a row whose view is unknown or whose key does not encode is passed through unfolded (the store's own
 * checks then report it).
 */
export function createRowFolder(viewOf: (name: string) => FeatureView | undefined): RowFolder {
  const groupId = (view: FeatureView, row: WriteRow): string | undefined => {
    try {
      return `${view.name}\u0000${entityKeyString(view.entity, row.key)}`;
    } catch {
      return undefined;
    }
  };
  return (rows) => {
    const groups = new Map<string, Group>();
    const out: (WriteRow | Group)[] = [];
    for (const row of rows) {
      const view = viewOf(row.view);
      const id = view && groupId(view, row);
      if (view === undefined || id === undefined) {
        out.push(row);
        continue;
      }
      const group = groups.get(id);
      if (group === undefined) {
        const created: Group = { first: row, view, cells: undefined };
        groups.set(id, created);
        out.push(created);
        continue;
      }
      group.cells ??= cellsOf(group.first);
      mergeRow(group.view, group.cells, row);
    }
    return out.map((entry) => ('first' in entry ? rowOf(entry) : entry));
  };
}

function cellsOf(row: WriteRow): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const [name, value] of Object.entries(row.values)) {
    cells.set(name, { name, value, eventTime: row.eventTimes?.[name] ?? row.eventTime, bytes: undefined });
  }
  return cells;
}

function bytesOf(view: FeatureView, cell: Cell): Uint8Array {
  if (cell.bytes === undefined) {
    const feature = view.featuresByName.get(cell.name);
    // An unknown feature cannot be encoded; the store refuses the row anyway, so any order is fine.
    cell.bytes = feature ? encodeValue(feature.type, cell.value) : new Uint8Array(0);
  }
  return cell.bytes;
}

/** A cell as core's `VersionedBytes`, encoding its value only if `compareVersions` reads it (a tie). */
function versioned(view: FeatureView, cell: Cell) {
  return {
    eventTime: cell.eventTime,
    get bytes() {
      return bytesOf(view, cell);
    },
  };
}

function mergeRow(view: FeatureView, cells: Map<string, Cell>, row: WriteRow): void {
  for (const [name, value] of Object.entries(row.values)) {
    const incoming: Cell = {
      name,
      value,
      eventTime: row.eventTimes?.[name] ?? row.eventTime,
      bytes: undefined,
    };
    const held = cells.get(name);
    if (compareVersions(versioned(view, incoming), held && versioned(view, held)) > 0)
      cells.set(name, incoming);
  }
}

/** The row of a group: its first row when nothing was merged, else one row with per-feature event times. */
function rowOf(group: Group): WriteRow {
  if (group.cells === undefined) return group.first;
  let eventTime = Number.NEGATIVE_INFINITY;
  for (const c of group.cells.values()) if (c.eventTime > eventTime) eventTime = c.eventTime;
  const values: Record<string, FeatureValue> = {};
  const eventTimes: Record<string, number> = {};
  let overrides = 0;
  for (const c of group.cells.values()) {
    values[c.name] = c.value;
    if (c.eventTime !== eventTime) {
      eventTimes[c.name] = c.eventTime;
      overrides++;
    }
  }
  const { view, key } = group.first;
  return overrides === 0 ? { view, key, values, eventTime } : { view, key, values, eventTime, eventTimes };
}
