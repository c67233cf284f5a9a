import { type FeatureValue, type ReadRow, type ValueType, valuesEqual } from '@granary/core';
import type { FeatureAudit } from '../report/report.js';
import { summariseDeltas } from './delta-distribution.js';
import { smape } from './smape.js';

/** Whether a feature of `type` is a number, compared by SMAPE. */
function isNumeric(type: ValueType): boolean {
  return type === 'int64' || type === 'float64' || type === 'float32';
}

/** Equality used by the audit: exact, or within a relative tolerance for numbers. */
export function sameValue(a: FeatureValue, b: FeatureValue, tolerance: number): boolean {
  if (valuesEqual(a, b)) return true;
  if (tolerance > 0 && typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  }
  return false;
}

/** The outcome of one (key, feature) cell. */
export type CellOutcome = 'match' | 'mismatch' | 'missing' | 'extra' | 'ahead' | 'absent';

/** Classifies one cell: `ahead` when the online value is newer than the truth time. */
export function classifyCell(
  online: ReadRow[string] | undefined,
  offline: ReadRow[string] | undefined,
  truthTime: number,
  tolerance: number,
): CellOutcome {
  if (online && online.eventTime > truthTime) return 'ahead';
  if (!online) return offline ? 'missing' : 'absent';
  if (!offline) return 'extra';
  return sameValue(online.value, offline.value, tolerance) ? 'match' : 'mismatch';
}

/** Compares one feature over aligned online and offline rows. */
export function compareFeature(
  feature: string,
  type: ValueType,
  online: readonly ReadRow[],
  offline: readonly ReadRow[],
  truthTime: number,
  tolerance: number,
): FeatureAudit {
  const c = {
    offlinePresent: 0,
    onlinePresent: 0,
    matched: 0,
    mismatched: 0,
    missing: 0,
    extra: 0,
    ahead: 0,
  };
  const deltas: number[] = [];
  const errors: number[] = [];
  online.forEach((row, i) => {
    const on = row[feature];
    const off = offline[i]?.[feature];
    if (on) c.onlinePresent++;
    if (off) c.offlinePresent++;
    const outcome = classifyCell(on, off, truthTime, tolerance);
    if (outcome === 'match' || outcome === 'mismatch') {
      if (outcome === 'match') c.matched++;
      else c.mismatched++;
      if (on && off) {
        deltas.push(off.eventTime - on.eventTime);
        const e = smape(off.value, on.value);
        if (e !== undefined && isNumeric(type)) errors.push(e);
      }
    } else if (outcome === 'missing') c.missing++;
    else if (outcome === 'extra') c.extra++;
    else if (outcome === 'ahead') c.ahead++;
  });
  const compared = c.matched + c.mismatched;
  const numeric = isNumeric(type);
  return {
    feature,
    type,
    offlinePresent: c.offlinePresent,
    onlinePresent: c.onlinePresent,
    compared,
    matched: c.matched,
    mismatched: c.mismatched,
    mismatchRate: compared === 0 ? 0 : c.mismatched / compared,
    missing: c.missing,
    missingRate: c.offlinePresent === 0 ? 0 : c.missing / c.offlinePresent,
    extra: c.extra,
    extraRate: c.onlinePresent === 0 ? 0 : c.extra / c.onlinePresent,
    ahead: c.ahead,
    smape: numeric
      ? {
          count: errors.length,
          mean: errors.length === 0 ? 0 : errors.reduce((s, x) => s + x, 0) / errors.length,
          max: errors.reduce((m, x) => Math.max(m, x), 0),
        }
      : null,
    eventTimeDelta: summariseDeltas(deltas),
  };
}
