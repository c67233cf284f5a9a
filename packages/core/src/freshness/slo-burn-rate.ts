/** The verdict of a view's freshness. */
export type FreshnessVerdict = 'OK' | 'AT_RISK' | 'BREACHED';

/** Thresholds of the freshness verdict. */
export interface FreshnessVerdictThresholds {
  /** Burn rate that, reached in both the short and the long window, means BREACHED. Default: 14.4. */
  breachBurnRate?: number;
  /** Burn rate above which (in either window) the view is AT_RISK. Default: 1. */
  atRiskBurnRate?: number;
  /** Samples a window needs before its burn rate counts in the verdict. Default: 10. */
  minSamples?: number;
}

/** What the verdict is decided from. */
export interface FreshnessVerdictInput {
  readonly shortBurnRate: number | null;
  readonly longBurnRate: number | null;
  readonly shortSamples: number;
  readonly longSamples: number;
  /** `now - newest heartbeat` across partitions, or `null` when the view has no heartbeat. */
  readonly heartbeatAgeMs: number | null;
  /** `now - oldest heartbeat` among partitions, or `null`. */
  readonly oldestPartitionAgeMs: number | null;
  readonly missingPartitions: number;
  readonly heartbeatError: string | undefined;
  readonly maxAgeMs: number;
  readonly heartbeatIntervalMs: number;
}

/**
 * Error-budget burn rate: how many times faster than sustainable the budget is spent,
 * `(1 - compliance) / (1 - target)`; `null` without samples. 1 spends the budget exactly over the SLO period.
 */
export function burnRate(compliance: number | null, target: number): number | null {
  if (compliance === null) return null;
  return (1 - compliance) / (1 - target);
}

/** Defaults of {@link FreshnessVerdictThresholds}. */
export const FRESHNESS_VERDICT_DEFAULTS = Object.freeze({
  breachBurnRate: 14.4,
  atRiskBurnRate: 1,
  minSamples: 10,
});

/**
 * Decides the verdict (multi-window burn-rate alerting as in the Google SRE workbook, plus the heartbeat):
 *
 * BREACHED when any of:
 * - the short **and** the long burn rate are at least `breachBurnRate` (14.4: 2 % of a 30-day budget in 1 h);
 * - the newest heartbeat is older than `maxAge + 2 x heartbeatInterval`: the pipeline is so far behind that
 *   every new value arrives stale.
 *
 * AT_RISK (otherwise) when any of:
 * - the short or the long burn rate is above `atRiskBurnRate` (1);
 * - the newest heartbeat is older than `2 x heartbeatInterval` (at least one heartbeat missed);
 * - one partition's heartbeat is older than `2 x heartbeatInterval`, or a partition has none while others do;
 * - the heartbeat could not be read.
 *
 * A window's burn rate only counts with at least `minSamples` samples; a view without heartbeat rows is
 * judged on its burn rates alone. OK otherwise.
 */
export function decideFreshnessVerdict(
  input: FreshnessVerdictInput,
  thresholds: FreshnessVerdictThresholds = {},
): { verdict: FreshnessVerdict; reasons: string[] } {
  const breach = thresholds.breachBurnRate ?? FRESHNESS_VERDICT_DEFAULTS.breachBurnRate;
  const atRisk = thresholds.atRiskBurnRate ?? FRESHNESS_VERDICT_DEFAULTS.atRiskBurnRate;
  const minSamples = thresholds.minSamples ?? FRESHNESS_VERDICT_DEFAULTS.minSamples;
  const short = input.shortSamples >= minSamples ? input.shortBurnRate : null;
  const long = input.longSamples >= minSamples ? input.longBurnRate : null;
  const missed = 2 * input.heartbeatIntervalMs;
  const breached: string[] = [];
  const risks: string[] = [];
  const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

  if (short !== null && long !== null && short >= breach && long >= breach) {
    breached.push(`burn rate ${fmt(short)} (short) and ${fmt(long)} (long) >= ${breach}`);
  }
  if (input.heartbeatAgeMs !== null && input.heartbeatAgeMs > input.maxAgeMs + missed) {
    breached.push(
      `newest heartbeat ${input.heartbeatAgeMs} ms old > maxAge + 2 intervals (${input.maxAgeMs + missed} ms)`,
    );
  }
  if (short !== null && short > atRisk) risks.push(`short-window burn rate ${fmt(short)} > ${atRisk}`);
  if (long !== null && long > atRisk) risks.push(`long-window burn rate ${fmt(long)} > ${atRisk}`);
  if (input.heartbeatAgeMs !== null && input.heartbeatAgeMs > missed) {
    risks.push(`newest heartbeat ${input.heartbeatAgeMs} ms old > 2 intervals (${missed} ms)`);
  }
  if (input.oldestPartitionAgeMs !== null && input.oldestPartitionAgeMs > missed) {
    risks.push(
      `oldest partition heartbeat ${input.oldestPartitionAgeMs} ms old > 2 intervals (${missed} ms)`,
    );
  }
  if (input.missingPartitions > 0 && input.heartbeatAgeMs !== null) {
    risks.push(`${input.missingPartitions} partition(s) without heartbeat`);
  }
  if (input.heartbeatError !== undefined) risks.push(`heartbeat unreadable: ${input.heartbeatError}`);

  if (breached.length > 0) return { verdict: 'BREACHED', reasons: [...breached, ...risks] };
  if (risks.length > 0) return { verdict: 'AT_RISK', reasons: risks };
  return { verdict: 'OK', reasons: [] };
}
