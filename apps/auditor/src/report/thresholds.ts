import type { Breach, SegmentAudit, ServedLogAudit, ThresholdCheck, ViewAudit } from './report.js';

/** The largest acceptable value of each check (a value strictly above it is a breach). */
export type Thresholds = Readonly<Record<ThresholdCheck, number>>;

/** Default thresholds: 1 % everywhere, SMAPE 0.05. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  mismatchRate: 0.01,
  missingRate: 0.01,
  extraRate: 0.01,
  smape: 0.05,
  segmentFlipRate: 0.01,
  contaminationRate: 0.01,
});

/** Every threshold breached by the findings, in report order. */
export function findBreaches(
  thresholds: Thresholds,
  views: readonly ViewAudit[],
  segments: readonly SegmentAudit[],
  servedLog: ServedLogAudit | undefined,
): Breach[] {
  const breaches: Breach[] = [];
  const check = (c: ThresholdCheck, subject: string, value: number) => {
    if (value > thresholds[c]) breaches.push({ check: c, subject, value, threshold: thresholds[c] });
  };
  for (const v of views) {
    for (const f of v.features) {
      const subject = `${v.view}:${f.feature}`;
      check('mismatchRate', subject, f.mismatchRate);
      check('missingRate', subject, f.missingRate);
      check('extraRate', subject, f.extraRate);
      if (f.smape) check('smape', subject, f.smape.mean);
    }
  }
  for (const s of segments) check('segmentFlipRate', s.experiment, s.flipRate);
  for (const v of servedLog?.views ?? []) check('contaminationRate', v.view, v.contaminationRate);
  return breaches;
}
