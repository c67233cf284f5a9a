import { type Spec, s } from './config-spec.js';

/** The store adapters the server can use. Each but `memory` is imported only when selected. */
export const STORE_TYPES = ['memory', 'redis', 'redis-cluster', 'dynamodb', 'cassandra'] as const;
/** A store adapter name. */
export type StoreType = (typeof STORE_TYPES)[number];

/** An API key scope: `read` (features, freshness, hot keys), `write` (push), `admin` (everything). */
export type Scope = 'read' | 'write' | 'admin';

/** One API key declaration: the secret comes from an environment variable or a file, never the config. */
export interface ApiKeyConfig {
  /** Name shown in logs (never the key). */
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** Environment variable holding the key. */
  readonly secretEnv?: string;
  /** File holding the key (trailing whitespace trimmed). */
  readonly secretFile?: string;
}

/** The server's configuration after defaults and validation (durations in ms). */
export interface ServerConfig {
  /** Where the registry comes from: a file, an inline document, or the built-in demo registry. */
  readonly registry: { readonly path?: string; readonly inline?: unknown; readonly demo?: boolean };
  readonly store: StoreConfig & {
    /**
     * A second store with the same data (same shape as `store`), for failover and hedging
     * (`secondaryStore` of the engine). Default: none.
     */
    readonly secondary?: StoreConfig;
  };
  readonly engine: EngineConfig;
  /** The served-feature log (`servedLog` of the engine). Default: none (nothing is logged). */
  readonly servedLog?: ServedLogConfig;
  readonly server: HttpConfig;
  readonly auth: AuthConfig;
  readonly demo: DemoConfig;
  readonly status: StatusConfig;
}

/** One store section: the adapter type and the options of each adapter. */
export interface StoreConfig {
  readonly type: StoreType;
  /** Options per adapter, passed to the adapter's factory (see its `options.ts`). */
  readonly memory: Readonly<Record<string, unknown>>;
  readonly redis: Readonly<Record<string, unknown>>;
  readonly redisCluster: Readonly<Record<string, unknown>>;
  readonly dynamodb: Readonly<Record<string, unknown>>;
  readonly cassandra: Readonly<Record<string, unknown>>;
}

/** The served-feature log: sampling and buffering (see `ServedLogOptions` in @granary/core) and its sink. */
export interface ServedLogConfig {
  /** Share of entity keys logged, in [0, 1]. Default: the engine's (0.01). */
  readonly sampleRate?: number;
  /** Records buffered in memory before new ones are dropped. Default: the engine's (10000). */
  readonly maxBuffered?: number;
  /** Records per sink write. Default: the engine's (500). */
  readonly maxBatch?: number;
  /** Buffered records are written at least this often, ms. Default: the engine's (1000). */
  readonly flushIntervalMs?: number;
  /** Where records go: `jsonl` appends one JSON object per line to `path`. */
  readonly sink: { readonly type: 'jsonl'; readonly path: string; readonly bufferBytes?: number };
}

/** Population statistics for the engine's `population` fallback step (a file the auditor publishes). */
export interface PopulationStatsConfig {
  /** The statistics file (`granary-auditor --publish-stats`). */
  readonly path: string;
  /** How often the file is re-read, ms; 0 disables. Default: 60000. */
  readonly refreshIntervalMs?: number;
  /** Statistics computed longer ago than this are not served, ms. Default: no limit. */
  readonly maxAgeMs?: number;
}

/** The status page at `GET /`. */
export interface StatusConfig {
  /** An auditor JSON report whose result the status page shows. Default: none ("no audit yet"). */
  readonly auditReportPath?: string;
}

/** Serving-engine settings (see `FeatureServerOptions` in @granary/core). */
export interface EngineConfig {
  readonly deadlineMs: number;
  readonly maxDeadlineMs: number;
  readonly maxEntitiesPerRequest: number;
  readonly storeTimeoutMs: number;
  readonly coalescing: boolean;
  readonly batching: boolean;
  readonly batchWindowMs: number;
  readonly maxBatchSize: number;
  readonly negativeCache: false | { notFoundTtlMs?: number; failureTtlMs?: number; maxEntries?: number };
  readonly hotKeys: false | { capacity?: number; halfLifeMs?: number; minCount?: number; minShare?: number };
  readonly nearCache: false | { ttlMs?: number; maxEntries?: number; refreshAheadRatio?: number };
  readonly lastKnownGood: false | { maxEntries?: number };
  readonly heartbeat: false | { intervalMs?: number; timeoutMs?: number };
  readonly circuitBreaker: { disabled?: boolean; consecutiveFailures?: number; halfOpenAfterMs?: number };
  readonly freshness: {
    shortWindowMs?: number;
    longWindowMs?: number;
    slotMs?: number;
    breachBurnRate?: number;
    atRiskBurnRate?: number;
    minSamples?: number;
  };
  /** Hedge a primary read to `store.secondary` after this many ms. Default: none (no hedging). */
  readonly hedgeDelayMs?: number;
  /** Population statistics file served by the `population` fallback step. Default: none. */
  readonly populationStats?: PopulationStatsConfig;
}

/**
 * Load shedding (`server.overload`, @fastify/under-pressure): while the mean event-loop delay over the last
 * sample is above `maxEventLoopDelayMs`, requests other than /healthz, /readyz and /metrics are answered at once
 * with 503 `OVERLOADED` and `Retry-After`, instead of queueing past every caller's deadline.
 */
export interface OverloadConfig {
  /** Default: 1,000 ms. */
  readonly maxEventLoopDelayMs: number;
  /** How often the event-loop delay is sampled (its mean over the interval is compared). Default: 1,000 ms. */
  readonly sampleIntervalMs: number;
  /** The `Retry-After` of a shed request, rounded up to whole seconds. Default: 1,000 ms. */
  readonly retryAfterMs: number;
}

/** HTTP settings. */
export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  readonly maxFeaturesPerRequest: number;
  readonly maxPushRows: number;
  readonly shutdownTimeoutMs: number;
  /** Load shedding, or `false` to keep every request (default: on, see {@link OverloadConfig}). */
  readonly overload: OverloadConfig | false;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly docs: boolean;
}

/** Authentication settings. */
export interface AuthConfig {
  /** `api-keys` (default) or `none` (local use only; logs a warning). */
  readonly mode: 'api-keys' | 'none';
  readonly keys: readonly ApiKeyConfig[];
  /** A YAML/JSON file listing `{ name, scopes, key }`, for secret mounts. */
  readonly keysFile?: string;
}

/** The in-process demo feed. */
export interface DemoConfig {
  readonly enabled: boolean;
  /** Distinct demo users. */
  readonly entities: number;
  /** Exponent of the Zipf distribution of written (and suggested) users. */
  readonly zipfExponent: number;
  readonly writesPerSecond: number;
  /** Simulated pipeline lag: event times are this far in the past and heartbeats stop advancing. */
  readonly lagMs: number;
  readonly tickMs: number;
}

const durationOrMs = s.duration();
const open = (fields: Record<string, Spec> = {}) => s.object(fields, true);

/** The fields of a store section (`store` and `store.secondary`). */
const STORE_FIELDS: Record<string, Spec> = {
  type: s.enum(...STORE_TYPES),
  memory: s.object({ maxValueBytes: s.int(1), name: s.string() }),
  redis: open({ url: s.string(), keyPrefix: s.string(false), timeoutMs: s.int(1), batchSize: s.int(1) }),
  redisCluster: open({
    nodes: s.oneOf('a list of "host:port" or a comma-separated string', s.list(s.any(), true), s.string()),
    keyPrefix: s.string(false),
    timeoutMs: s.int(1),
    batchSize: s.int(1),
  }),
  dynamodb: open(),
  cassandra: open(),
};

/** The shape of the configuration file. Durations take units (`"250ms"`, `"5s"`); sizes are bytes. */
export const CONFIG_SPEC: Spec = s.object({
  registry: s.object({ path: s.string(), inline: s.any(), demo: s.bool() }),
  store: s.object({ ...STORE_FIELDS, secondary: s.falseOr(s.object(STORE_FIELDS)) }),
  engine: s.object({
    deadline: s.duration(true),
    maxDeadline: s.duration(true),
    maxEntitiesPerRequest: s.int(1),
    storeTimeout: s.duration(true),
    coalescing: s.bool(),
    batching: s.bool(),
    batchWindow: durationOrMs,
    maxBatchSize: s.int(1),
    negativeCache: s.falseOr(
      s.object({ notFoundTtl: durationOrMs, failureTtl: durationOrMs, maxEntries: s.int(1) }),
    ),
    hotKeys: s.falseOr(
      s.object({
        capacity: s.int(1),
        halfLife: s.duration(true),
        minCount: s.number(0),
        minShare: s.number(0, 1),
      }),
    ),
    nearCache: s.falseOr(
      s.object({ ttl: s.duration(true), maxEntries: s.int(1), refreshAheadRatio: s.number(0, 1, true) }),
    ),
    lastKnownGood: s.falseOr(s.object({ maxEntries: s.int(1) })),
    heartbeat: s.falseOr(s.object({ interval: s.duration(true), timeout: s.duration(true) })),
    circuitBreaker: s.object({
      disabled: s.bool(),
      consecutiveFailures: s.int(1),
      halfOpenAfter: s.duration(true),
    }),
    freshness: s.object({
      shortWindow: s.duration(true),
      longWindow: s.duration(true),
      slot: s.duration(true),
      breachBurnRate: s.number(0),
      atRiskBurnRate: s.number(0),
      minSamples: s.int(0),
    }),
    hedgeDelay: durationOrMs,
    populationStats: s.falseOr(
      s.object({ path: s.string(), refreshInterval: durationOrMs, maxAge: s.duration(true) }),
    ),
  }),
  servedLog: s.falseOr(
    s.object({
      sampleRate: s.number(0, 1),
      maxBuffered: s.int(1),
      maxBatch: s.int(1),
      flushInterval: s.duration(true),
      sink: s.object({ type: s.enum('jsonl'), path: s.string(), bufferBytes: s.int(1) }),
    }),
  ),
  server: s.object({
    host: s.string(),
    port: s.int(0, 65535),
    bodyLimitBytes: s.int(1024, 256 * 1024 * 1024),
    maxFeaturesPerRequest: s.int(1),
    maxPushRows: s.int(1),
    shutdownTimeout: s.duration(true),
    overload: s.falseOr(
      s.object({
        maxEventLoopDelay: s.duration(true),
        sampleInterval: s.duration(true),
        retryAfter: s.duration(true),
      }),
    ),
    logLevel: s.enum('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    docs: s.bool(),
  }),
  auth: s.object({
    mode: s.enum('api-keys', 'none'),
    keys: s.list(
      s.object({
        name: s.string(),
        scopes: s.list(s.enum('read', 'write', 'admin'), true),
        secretEnv: s.string(),
        secretFile: s.string(),
      }),
    ),
    keysFile: s.string(),
  }),
  demo: s.object({
    enabled: s.bool(),
    entities: s.int(1, 10_000_000),
    zipfExponent: s.number(0, 10, true),
    writesPerSecond: s.int(0, 100_000),
    lag: durationOrMs,
    tick: s.duration(true),
  }),
  status: s.object({ auditReportPath: s.string() }),
});

/** Defaults of every setting, in the file's own (un-normalised) shape; documented in the README. */
export const CONFIG_DEFAULTS = {
  store: { type: 'memory' },
  engine: {
    deadline: '100ms',
    maxDeadline: '5s',
    maxEntitiesPerRequest: 1000,
    storeTimeout: '1s',
    coalescing: true,
    batching: true,
    batchWindow: '0ms',
    maxBatchSize: 1000,
  },
  server: {
    host: '127.0.0.1',
    port: 8080,
    bodyLimitBytes: 1024 * 1024,
    maxFeaturesPerRequest: 500,
    maxPushRows: 1000,
    shutdownTimeout: '10s',
    overload: { maxEventLoopDelay: '1s', sampleInterval: '1s', retryAfter: '1s' },
    logLevel: 'info',
    docs: true,
  },
  auth: { mode: 'api-keys' },
  demo: {
    enabled: false,
    entities: 10_000,
    zipfExponent: 1.1,
    writesPerSecond: 200,
    lag: '0s',
    tick: '100ms',
  },
} as const;
