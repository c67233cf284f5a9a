import type { FeatureView } from '../registry/feature-view.js';
import type { Clock } from '../time/clock.js';
import type { FreshnessTracker } from './freshness-tracker.js';
import { heartbeatPartitions } from './heartbeat.js';
import type { HeartbeatStatus } from './heartbeat-probe.js';
import {
  burnRate,
  decideFreshnessVerdict,
  type FreshnessVerdict,
  type FreshnessVerdictThresholds,
} from './slo-burn-rate.js';

/** The heartbeat part of a view's freshness. */
export interface HeartbeatFreshness {
  /** `now - newest heartbeat` across partitions, or `null` when none was ever read. */
  readonly ageMs: number | null;
  /** `now - oldest heartbeat` among partitions that have one, or `null`. */
  readonly oldestPartitionAgeMs: number | null;
  /** Partitions expected (`view.source.partitions`, else 1). */
  readonly partitions: number;
  /** Partitions without any heartbeat row. */
  readonly missingPartitions: number;
  /** When the heartbeat was last probed, or `null` when never. */
  readonly probedAt: number | null;
  /** The last probe's error, if it failed. */
  readonly error?: string;
}

/** The freshness of one view. */
export interface ViewFreshness {
  readonly view: string;
  readonly maxAgeMs: number;
  readonly slo: { readonly target: number; readonly thresholdMs: number };
  /** Served-age percentiles over the short window, ms (`null` without samples). */
  readonly ageMs: { readonly p50: number | null; readonly p99: number | null };
  /** Values observed per window (served from the store or the near cache). */
  readonly samples: { readonly short: number; readonly long: number };
  /** Share of those values within the SLO threshold (`null` without samples). */
  readonly compliance: { readonly short: number | null; readonly long: number | null };
  /** Error-budget burn rate per window (`null` without samples). */
  readonly burnRate: { readonly short: number | null; readonly long: number | null };
  readonly heartbeat: HeartbeatFreshness;
  readonly verdict: FreshnessVerdict;
  /** Why the verdict is not OK (empty when OK). */
  readonly reasons: readonly string[];
}

/** The answer of `freshness()`. */
export interface FreshnessReport {
  readonly generatedAt: number;
  readonly windows: { readonly shortMs: number; readonly longMs: number };
  /** The worst verdict of all views. */
  readonly verdict: FreshnessVerdict;
  readonly views: readonly ViewFreshness[];
}

/** Inputs of {@link buildFreshnessReport}. */
export interface FreshnessReportInput {
  readonly views: readonly FeatureView[];
  readonly tracker: FreshnessTracker;
  readonly heartbeat: (view: string) => HeartbeatStatus | undefined;
  readonly clock: Clock;
  readonly thresholds?: FreshnessVerdictThresholds;
}

const RANK: Record<FreshnessVerdict, number> = { OK: 0, AT_RISK: 1, BREACHED: 2 };

/** Builds the freshness report of `views` (see {@link decideFreshnessVerdict} for the verdict rules). */
export function buildFreshnessReport(input: FreshnessReportInput): FreshnessReport {
  const now = input.clock.now();
  const views = input.views.map((view): ViewFreshness => {
    const snap = input.tracker.snapshot(view);
    const hb = input.heartbeat(view.name);
    const age = (t: number | null | undefined) =>
      t === null || t === undefined ? null : Math.max(0, now - t);
    const heartbeat: HeartbeatFreshness = {
      ageMs: age(hb?.newestEmittedAt),
      oldestPartitionAgeMs: age(hb?.oldestEmittedAt),
      partitions: heartbeatPartitions(view),
      missingPartitions: hb ? hb.missingPartitions : heartbeatPartitions(view),
      probedAt: hb?.probedAt ?? null,
      ...(hb?.error !== undefined ? { error: hb.error } : {}),
    };
    const shortBurn = burnRate(snap.short.compliance, view.freshnessSlo.target);
    const longBurn = burnRate(snap.long.compliance, view.freshnessSlo.target);
    const { verdict, reasons } = decideFreshnessVerdict(
      {
        shortBurnRate: shortBurn,
        longBurnRate: longBurn,
        shortSamples: snap.short.samples,
        longSamples: snap.long.samples,
        heartbeatAgeMs: heartbeat.ageMs,
        oldestPartitionAgeMs: heartbeat.oldestPartitionAgeMs,
        missingPartitions: heartbeat.missingPartitions,
        heartbeatError: hb?.error,
        maxAgeMs: view.maxAgeMs,
        heartbeatIntervalMs: view.heartbeatIntervalMs,
      },
      input.thresholds,
    );
    return {
      view: view.name,
      maxAgeMs: view.maxAgeMs,
      slo: { target: view.freshnessSlo.target, thresholdMs: view.freshnessSlo.thresholdMs },
      ageMs: { p50: snap.short.p50AgeMs, p99: snap.short.p99AgeMs },
      samples: { short: snap.short.samples, long: snap.long.samples },
      compliance: { short: snap.short.compliance, long: snap.long.compliance },
      burnRate: { short: shortBurn, long: longBurn },
      heartbeat,
      verdict,
      reasons,
    };
  });
  const verdict = views.reduce<FreshnessVerdict>((w, v) => (RANK[v.verdict] > RANK[w] ? v.verdict : w), 'OK');
  return { generatedAt: now, windows: input.tracker.windows, verdict, views };
}
