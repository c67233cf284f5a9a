import { parseTime } from '@granary/core';

/**
 * Reads a wire timestamp: an ISO-8601 string (`2026-11-26T08:00:00Z`) or a number of ms since the epoch.
 * Returns NaN when it is neither.
 */
export function fromWireTime(value: unknown): number {
  if (typeof value === 'number' || typeof value === 'string') return parseTime(value);
  return Number.NaN;
}
