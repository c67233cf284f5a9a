import type { ValueType } from '@granary/core';
import type { DeltaDistribution } from '../audit/delta-distribution.js';

/** Version of the JSON report; bumped on incompatible changes. */
export const AUDIT_REPORT_SCHEMA_VERSION = 1 as const;

/** SMAPE over the compared numeric values of one feature. */
export interface SmapeSummary {
  readonly count: number;
  /** Mean of `2|offline - online| / (|offline| + |online|)`, in [0, 2]. */
  readonly mean: number;
  readonly max: number;
}

/** Online versus offline for one feature of one view, over the sampled keys. */
export interface FeatureAudit {
  readonly feature: string;
  readonly type: ValueType;
  /** Keys whose offline row (as of the truth time) exists. */
  readonly offlinePresent: number;
  /** Keys whose online value exists. */
  readonly onlinePresent: number;
  /** Both present and the online value is not newer than the truth time. */
  readonly compared: number;
  readonly matched: number;
  readonly mismatched: number;
  /** mismatched / compared (0 when nothing was compared). */
  readonly mismatchRate: number;
  /** Offline has a value, online has none. */
  readonly missing: number;
  /** missing / offlinePresent. */
  readonly missingRate: number;
  /** Online has a value, offline has no row as of the truth time (and the online value is not newer). */
  readonly extra: number;
  /** extra / onlinePresent. */
  readonly extraRate: number;
  /** Online values newer than the truth time: not compared (offline may not have them yet). */
  readonly ahead: number;
  /** Numeric features only. */
  readonly smape: SmapeSummary | null;
  /** offline eventTime - online eventTime over compared values, ms. */
  readonly eventTimeDelta: DeltaDistribution;
}

/** One view's audit. */
export interface ViewAudit {
  readonly view: string;
  /** Sampled keys (the union over the views of the same entity). */
  readonly keys: number;
  readonly features: readonly FeatureAudit[];
}

/** Segment membership online versus offline for one experiment. */
export interface SegmentAudit {
  readonly experiment: string;
  readonly entities: number;
  readonly inOnline: number;
  readonly inOffline: number;
  /** Entities in the segment online but not offline. */
  readonly onlineOnly: number;
  /** Entities in the segment offline but not online. */
  readonly offlineOnly: number;
  /** (onlineOnly + offlineOnly) / entities. */
  readonly flipRate: number;
}

/** What `--repair` did for one view. */
export interface RepairSummary {
  readonly view: string;
  /** Feature values written (offline truth for missing or mismatched online values). */
  readonly attempted: number;
  /** Written and now equal to the offline truth. */
  readonly repaired: number;
  /** Left alone by the store because the online value is newer (monotonic writes). */
  readonly keptNewer: number;
  /** Still different after the write (same event time, different value: the tie rule kept the online one). */
  readonly unresolved: number;
  readonly byFeature: Readonly<Record<string, { attempted: number; repaired: number; keptNewer: number }>>;
}

/** Served-log audit of one view. */
export interface ServedViewAudit {
  readonly view: string;
  readonly records: number;
  /** Records with at least one served value different from the offline truth at serve time. */
  readonly contaminated: number;
  readonly contaminationRate: number;
  readonly byFeature: Readonly<Record<string, { compared: number; contaminated: number }>>;
  /** Contaminated feature values by where they were served from (`store`, `cache`, `default`, ...). */
  readonly bySource: Readonly<Record<string, number>>;
}

/** The served-log audit. */
export interface ServedLogAudit {
  readonly path: string;
  readonly records: number;
  /** Lines that were not valid records, or of views not in the registry (not audited). */
  readonly skipped: number;
  readonly views: readonly ServedViewAudit[];
}

/** The published population statistics. */
export interface StatsPublication {
  readonly path: string;
  readonly computedAt: string;
  readonly from: string;
  readonly to: string;
  readonly features: number;
}

/** The checks thresholds apply to. */
export type ThresholdCheck =
  | 'mismatchRate'
  | 'missingRate'
  | 'extraRate'
  | 'smape'
  | 'segmentFlipRate'
  | 'contaminationRate';

/** A threshold exceeded. */
export interface Breach {
  readonly check: ThresholdCheck;
  /** `view:feature`, an experiment name or a view name. */
  readonly subject: string;
  readonly value: number;
  readonly threshold: number;
}

/** The auditor's JSON report. */
export interface AuditReport {
  readonly schemaVersion: typeof AUDIT_REPORT_SCHEMA_VERSION;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** When online was read (the audit time). */
  readonly auditTime: string;
  /** auditTime - allowedLag: offline truth is read as of this time. */
  readonly truthTime: string;
  readonly allowedLagMs: number;
  readonly sampleSize: number;
  readonly seed: number;
  readonly views: readonly ViewAudit[];
  readonly segments: readonly SegmentAudit[];
  readonly repair?: readonly RepairSummary[];
  readonly servedLog?: ServedLogAudit;
  readonly stats?: StatsPublication;
  readonly thresholds: Readonly<Record<ThresholdCheck, number>>;
  readonly breaches: readonly Breach[];
  /** True when no threshold was breached. */
  readonly ok: boolean;
}
