import type { FeatureValue } from '@granary/core';

/**
 * Symmetric absolute percentage error of one pair: `2|a - b| / (|a| + |b|)`, in [0, 2]; 0 when both are 0.
 * Undefined for non-numeric values or when either is not finite.
 */
export function smape(a: FeatureValue, b: FeatureValue): number | undefined {
  const x = typeof a === 'bigint' ? Number(a) : a;
  const y = typeof b === 'bigint' ? Number(b) : b;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y))
    return undefined;
  const denominator = Math.abs(x) + Math.abs(y);
  return denominator === 0 ? 0 : (2 * Math.abs(x - y)) / denominator;
}
