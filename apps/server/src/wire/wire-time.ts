import { FEAST_TIME_PATTERN, MAX_WIRE_TIME_MS, WIRE_TIME_PATTERN } from '../schemas/wire-patterns.js';

const TIME = new RegExp(WIRE_TIME_PATTERN);
const FEAST_TIME = new RegExp(FEAST_TIME_PATTERN);
const HAS_OFFSET = /(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a wire timestamp: an RFC 3339 string matching {@link WIRE_TIME_PATTERN} (`2026-11-26T08:00:00Z`) or
 * a number of ms since the epoch, within +-{@link MAX_WIRE_TIME_MS} (the range a Date can show). Returns NaN
 * for anything else, so the caller answers 400 naming the field.
 */
export function fromWireTime(value: unknown): number {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && TIME.test(value)) ms = Date.parse(value);
  return Math.abs(ms) <= MAX_WIRE_TIME_MS ? ms : Number.NaN;
}

/**
 * Reads a timestamp of Feast's SDK ({@link FEAST_TIME_PATTERN}): RFC 3339, or without an offset, which is UTC.
 * Returns NaN for anything else (a number too: Feast sends strings), so the caller answers 400 naming the field.
 */
export function fromFeastTime(value: unknown): number {
  if (typeof value !== 'string' || !FEAST_TIME.test(value)) return Number.NaN;
  return fromWireTime(HAS_OFFSET.test(value) ? value : `${value}Z`);
}
