import type { ValueType } from '@granary/core';

/**
 * Write timestamps: `floor(eventTime ms) * 1000 + slot`, with `slot` in [0, 999] the tie-break slot of the
 * encoded value (unchanged since layout v1). Cassandra keeps, per feature, what the highest write timestamp
 * wrote, so a newer event time always wins, and on equal event times the value in the higher slot wins.
 *
 * Exactness does not rest on the slot: since layout v2 the values of one timestamp are kept side by side in the
 * `ties` set and the read takes the greatest (see `statements`). The slot still pays its way: a value in a
 * higher slot shadows the lower slots' elements at once (its write's collection tombstone covers them), so
 * a set holds more than one element only for different values of one event time and slot, and the stored
 * timestamps keep ordering values the way layout v1 did (a table migrated from v1 stays consistent).
 */
export const TIE_BREAK_SLOTS = 1000;

/** Largest |event time| in ms: JavaScript's Date range, which also keeps µs timestamps inside int64. */
export const MAX_EVENT_TIME_MS = 8.64e15;

// Slots of the payload (the bytes after the codec's header byte). 0: null; 1: a payload of zero bytes only
// (lexicographically below every payload holding a non-zero byte); 2: 8+ zero bytes then a non-zero one; then
// one band per count z = 7..0 of leading zero bytes (more leading zeros sort lower). Inside a band the first
// non-zero byte and the byte after it place the value. Band sizes per z = 0..7 (sum at most 997).
const DEFAULT_BANDS = [900, 30, 10, 10, 10, 10, 10, 10] as const;
// float64 is 8 little-endian bytes: "round" numbers (1, -3, 0.25, 100...) start with 6 zero bytes, so z = 6
// gets 510 slots: exactly one per (7th byte, sign bit), which separates x from -x.
const FLOAT64_BANDS = [270, 30, 30, 30, 50, 60, 510, 16] as const;

interface Layout {
  /** First slot of the band of z leading zero bytes, z = 0..7. */
  readonly base: readonly number[];
  readonly size: readonly number[];
}

function layout(sizes: readonly number[]): Layout {
  const base = new Array<number>(8);
  let next = 3;
  for (let z = 7; z >= 0; z--) {
    base[z] = next;
    next += sizes[z] as number;
  }
  if (next > TIE_BREAK_SLOTS) throw new Error('tie-break bands overflow');
  return { base, size: sizes };
}

const LAYOUTS = {
  default: layout(DEFAULT_BANDS),
  float64: layout(FLOAT64_BANDS),
} as const;

const NULL_HEADER = 0x00;
const BAND_SPAN = 255 * 256;

/**
 * The tie-break slot of an encoded value of `type`: 0 for null, else 1..999. Non-decreasing in the unsigned
 * lexicographic order of encodings of the same type.
 */
export function tieBreakSlot(type: ValueType, bytes: Uint8Array): number {
  if (bytes.length === 0 || bytes[0] === NULL_HEADER) return 0;
  let z = 1;
  while (z < bytes.length && bytes[z] === 0) z++;
  if (z === bytes.length) return 1;
  const zeros = z - 1;
  if (zeros >= 8) return 2;
  const { base, size } = type === 'float64' ? LAYOUTS.float64 : LAYOUTS.default;
  const u = ((bytes[z] as number) - 1) * 256 + (bytes[z + 1] ?? 0);
  return (base[zeros] as number) + Math.floor((u * (size[zeros] as number)) / BAND_SPAN);
}

/** The write timestamp (µs) of a value: `floor(eventTime) * 1000 + tieBreakSlot`. */
export function writeTimestamp(eventTimeMs: number, type: ValueType, bytes: Uint8Array): bigint {
  return BigInt(Math.floor(eventTimeMs)) * 1000n + BigInt(tieBreakSlot(type, bytes));
}

/** The event time (ms) a write timestamp carries: `floor(timestamp / 1000)`. */
export function eventTimeFromWriteTime(timestamp: bigint): number {
  const q = timestamp / 1000n;
  return Number(timestamp < 0n && q * 1000n !== timestamp ? q - 1n : q);
}
