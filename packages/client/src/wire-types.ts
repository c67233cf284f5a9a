/**
 * The server's JSON shapes. Granary's API sends `int64` values as decimal strings (exact beyond 2^53),
 * `bytes` as base64, non-finite floats as `"NaN"`/`"Infinity"`/`"-Infinity"`, and times as ISO-8601 with `Z`.
 */

/** A feature value as JSON. */
export type WireValue = string | number | boolean | null | readonly (string | number)[];

/** An entity key: join key name to value (int64 keys may be numbers or decimal strings). */
export type EntityKey = Readonly<Record<string, string | number>>;

/** Status of a served value. */
export type FeatureStatus = 'PRESENT' | 'STALE' | 'NOT_FOUND' | 'UNAVAILABLE' | 'BEHIND';

/** Where a served value came from. */
export type FeatureSource = 'store' | 'cache' | 'last_known_good' | 'population' | 'default' | 'none';

/** One served value. */
export interface ServedFeature {
  readonly value: WireValue;
  readonly status: FeatureStatus;
  readonly source: FeatureSource;
  /** `servedAt - eventTime` in ms, or null when the value has no event time. */
  readonly ageMs: number | null;
  /** ISO-8601, or null (default, population, none). */
  readonly eventTime: string | null;
  /** Why the value is degraded (absent when PRESENT). */
  readonly reason?: string;
}

/** The answer of `POST /v1/features`. */
export interface FeaturesResponse {
  readonly requestId: string;
  readonly servedAt: string;
  readonly degraded: boolean;
  readonly counts: {
    readonly byStatus: Readonly<Record<FeatureStatus, number>>;
    readonly bySource: Readonly<Record<FeatureSource, number>>;
  };
  readonly entities: readonly {
    readonly key: EntityKey;
    /** `view:feature` to its served value, in request order. */
    readonly features: Readonly<Record<string, ServedFeature>>;
  }[];
}

/** Feast's status of a value. */
export type FeastStatus = 'PRESENT' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE' | 'NULL_VALUE';

/** The answer of Feast's `POST /get-online-features`. */
export interface FeastResponse {
  readonly metadata: { readonly feature_names: readonly string[] };
  readonly results: readonly {
    readonly values: readonly WireValue[];
    readonly statuses: readonly FeastStatus[];
    readonly event_timestamps: readonly string[];
  }[];
}

/** One row of `POST /v1/push`. */
export interface PushRow {
  readonly view: string;
  readonly key: EntityKey;
  /** Feature name to value (int64 as a decimal string or safe integer, bytes as base64). */
  readonly values: Readonly<Record<string, WireValue>>;
  /** Event time: ISO-8601, ms since the epoch, or a Date. */
  readonly eventTime: string | number | Date;
  /** Per-feature event times overriding `eventTime`. */
  readonly eventTimes?: Readonly<Record<string, string | number | Date>>;
}

/** One hot key. */
export interface HotKey {
  readonly view: string;
  readonly key: EntityKey | string;
  readonly count: number;
  readonly error: number;
  readonly share: number;
  readonly hot: boolean;
  readonly cached: boolean;
}

/** The freshness verdict of a view or of the whole server. */
export type FreshnessVerdict = 'OK' | 'AT_RISK' | 'BREACHED';

/** The answer of `GET /v1/freshness` (see the server's OpenAPI document for every field). */
export interface FreshnessReport {
  readonly generatedAt: string;
  readonly verdict: FreshnessVerdict;
  readonly windows: { readonly shortMs: number; readonly longMs: number };
  readonly views: readonly {
    readonly view: string;
    readonly maxAgeMs: number;
    readonly verdict: FreshnessVerdict;
    readonly reasons: readonly string[];
    readonly ageMs: { readonly p50: number | null; readonly p99: number | null };
    readonly heartbeat: { readonly ageMs: number | null; readonly probedAt: string | null };
    readonly [field: string]: unknown;
  }[];
  /** The latest producer heartbeat per view and producer (`null` when the server does not read them). */
  readonly producers?: {
    readonly readAt: string | null;
    readonly error?: string;
    readonly heartbeats: readonly (ProducerHeartbeatAnswer & { readonly ageMs: number })[];
  } | null;
  /** The freshness sampler's latest round (`null` when off or before the first round). */
  readonly sampled?: unknown;
}

/** A producer heartbeat: `producer` has written `view` completely up to `completeUpTo`. */
export interface ProducerHeartbeat {
  readonly view: string;
  /** Letters, digits, `.`, `_`, `:`, `-`, at most 128 characters. */
  readonly producer: string;
  readonly completeUpTo: Date | string | number;
}

/** What the server recorded for a heartbeat (times RFC 3339). */
export interface ProducerHeartbeatAnswer {
  readonly view: string;
  readonly producer: string;
  readonly completeUpTo: string;
  readonly reportedAt: string;
}

/** The answer of `GET /readyz`. */
export interface Readiness {
  readonly ready: boolean;
  readonly reason?: string;
  readonly stores?: readonly { readonly name: string; readonly ok: boolean; readonly circuit: string }[];
}
