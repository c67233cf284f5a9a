/** The view the drill's registry declares, polls and loads. */
export const DRILL_VIEW = 'drill_stats';

/** The repository's alert rule the drill watches in Prometheus. */
export const HEARTBEAT_ALERT = 'GranaryHeartbeatStale';

/** The freshness drill's parameters (see tooling/drills/README.md); every field has a default. */
export interface FreshnessDrillOptions {
  /** The drill view's `heartbeatInterval`, and the upstream heartbeat producer's interval, s. Default: 2. */
  readonly heartbeatIntervalS: number;
  /** The drill view's `maxAge`, s. Default: 10. */
  readonly maxAgeS: number;
  /**
   * The drill view's `freshnessSlo.threshold`, s. Default: 60, which keeps the SLO budget out of the drill so
   * the recovery is visible (see the README).
   */
  readonly sloThresholdS: number;
  /** Open-loop read load on `POST /v1/features`, requests/s. Default: 200. */
  readonly loadRps: number;
  /** Upstream feature events produced to the view's topic, events/s. Default: 200. */
  readonly eventsPerSecond: number;
  /** Users the events and the reads spread over. Default: 200. */
  readonly entities: number;
  /** Length of the measured baseline before the stall, ms. Default: 20_000. */
  readonly baselineMs: number;
  /** Longest the consumer stays stopped, ms. Default: 45_000. */
  readonly stallMaxMs: number;
  /** How long the stall goes on once the verdict is `BREACHED` and the alert firing, ms. Default: 4_000. */
  readonly holdAfterDetectionMs: number;
  /** Longest the drill waits for the verdict and the alert to clear after the resume, ms. Default: 45_000. */
  readonly recoveryMaxMs: number;
  /** The whole drill is stopped (exit 1) after this, ms. Default: 175_000. */
  readonly hardLimitMs: number;
  /** Interval between observations (freshness, alerts, heartbeat age), ms. Default: 500. */
  readonly pollMs: number;
  /** Window of the p50 latency printed with each observation, ms. Default: 2_000. */
  readonly latencyWindowMs: number;
}

/** The defaults of {@link FreshnessDrillOptions}: the values the README documents. */
export const DEFAULT_DRILL_OPTIONS: FreshnessDrillOptions = Object.freeze({
  heartbeatIntervalS: 2,
  maxAgeS: 10,
  sloThresholdS: 60,
  loadRps: 200,
  eventsPerSecond: 200,
  entities: 200,
  baselineMs: 20_000,
  stallMaxMs: 45_000,
  holdAfterDetectionMs: 4_000,
  recoveryMaxMs: 45_000,
  hardLimitMs: 175_000,
  pollMs: 500,
  latencyWindowMs: 2_000,
});
