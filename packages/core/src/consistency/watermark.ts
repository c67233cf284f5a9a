import { ValidationError } from '../errors.js';

/**
 * Consistency watermarks. A request may carry `minEventTime` (ms since the epoch): a value whose event time
 * is older is served flagged BEHIND (typical use: read-your-writes after writing at that event time, or an
 * experiment that must not see data older than its start). A watermark also makes the engine look past its
 * caches: near-cache values behind it, and NOT_FOUND answers remembered before it, are read again from the
 * store.
 */

/** Validates a request's `minEventTime` (undefined, or a finite number of ms). */
export function validateWatermark(value: unknown, path = 'minEventTime'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError('must be a finite number of ms since the epoch', path);
  }
  return value;
}

/** True when a value with `eventTime` is behind the watermark. */
export function isBehind(eventTime: number, minEventTime: number | undefined): boolean {
  return minEventTime !== undefined && eventTime < minEventTime;
}
