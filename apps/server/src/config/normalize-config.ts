import { checkSpec, SpecProblem } from './config-spec.js';
import {
  CONFIG_DEFAULTS,
  CONFIG_SPEC,
  type EngineConfig,
  type OverloadConfig,
  type PopulationStatsConfig,
  type ServedLogConfig,
  type ServerConfig,
  STORE_TYPES,
  type StoreConfig,
} from './server-config.js';

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of mappings; `over` wins; lists and scalars are replaced, never merged. */
function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over === undefined ? base : over;
  const out: Rec = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Renames `ttl` -> `ttlMs` etc.: the file uses duration names, the engine takes milliseconds. */
function ms<T extends object = Rec>(value: unknown, renames: Record<string, string>): T | false | undefined {
  if (value === false || value === undefined) return value;
  const out: Rec = {};
  for (const [k, v] of Object.entries(value as Rec)) out[renames[k] ?? k] = v;
  return out as T;
}

/** Drops the keys whose value is `undefined` (so optional fields stay absent, not `undefined`). */
function defined<T extends Rec>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A checked store section; `type` has no default in `store.secondary`, so it is required there. */
function storeSection(store: Rec, path: string[]): StoreConfig {
  if (store.type === undefined) {
    throw new SpecProblem([...path, 'type'], `is required; must be one of ${STORE_TYPES.join(', ')}`);
  }
  return {
    type: store.type as StoreConfig['type'],
    memory: (store.memory ?? {}) as Rec,
    redis: (store.redis ?? {}) as Rec,
    redisCluster: (store.redisCluster ?? {}) as Rec,
    dynamodb: (store.dynamodb ?? {}) as Rec,
    cassandra: (store.cassandra ?? {}) as Rec,
  };
}

function populationStats(value: unknown): PopulationStatsConfig | undefined {
  if (value === undefined || value === false) return undefined;
  const p = value as Rec;
  if (p.path === undefined) {
    throw new SpecProblem(
      ['engine', 'populationStats', 'path'],
      'is required (a population statistics file)',
    );
  }
  return defined({
    path: p.path as string,
    refreshIntervalMs: p.refreshInterval as number | undefined,
    maxAgeMs: p.maxAge as number | undefined,
  });
}

function servedLog(value: unknown): ServedLogConfig | undefined {
  if (value === undefined || value === false) return undefined;
  const l = value as Rec;
  const sink = (l.sink ?? {}) as Rec;
  if (sink.path === undefined) {
    throw new SpecProblem(
      ['servedLog', 'sink', 'path'],
      'is required (the JSONL file records are appended to)',
    );
  }
  return defined({
    sampleRate: l.sampleRate as number | undefined,
    maxBuffered: l.maxBuffered as number | undefined,
    maxBatch: l.maxBatch as number | undefined,
    flushIntervalMs: l.flushInterval as number | undefined,
    sink: defined({
      type: (sink.type ?? 'jsonl') as 'jsonl',
      path: sink.path as string,
      bufferBytes: sink.bufferBytes as number | undefined,
    }),
  });
}

/**
 * Applies defaults to a checked raw configuration, converts durations to ms, and checks the rules that
 * span fields. Throws a SpecProblem naming the path.
 */
export function normalizeConfig(raw: Rec): ServerConfig {
  const c = checkSpec(CONFIG_SPEC, merge(CONFIG_DEFAULTS, raw)) as Rec;
  const registry = (c.registry ?? {}) as ServerConfig['registry'];
  const sources = ['path', 'inline', 'demo'].filter(
    (k) => (registry as Rec)[k] !== undefined && (registry as Rec)[k] !== false,
  );
  if (sources.length !== 1) {
    throw new SpecProblem(
      ['registry'],
      'give exactly one of path (a registry file), inline (entities and views) or demo: true',
    );
  }
  const store = c.store as Rec;
  const e = c.engine as Rec;
  const engine = defined({
    ...ms(e, {
      deadline: 'deadlineMs',
      maxDeadline: 'maxDeadlineMs',
      storeTimeout: 'storeTimeoutMs',
      batchWindow: 'batchWindowMs',
      hedgeDelay: 'hedgeDelayMs',
    }),
    negativeCache: ms(e.negativeCache, { notFoundTtl: 'notFoundTtlMs', failureTtl: 'failureTtlMs' }) ?? {},
    hotKeys: ms(e.hotKeys, { halfLife: 'halfLifeMs' }) ?? {},
    nearCache: ms(e.nearCache, { ttl: 'ttlMs' }) ?? {},
    lastKnownGood: ms(e.lastKnownGood, {}) ?? {},
    heartbeat: ms(e.heartbeat, { interval: 'intervalMs', timeout: 'timeoutMs' }) ?? {},
    circuitBreaker: ms(e.circuitBreaker, { halfOpenAfter: 'halfOpenAfterMs' }) || {},
    freshness:
      ms(e.freshness, { shortWindow: 'shortWindowMs', longWindow: 'longWindowMs', slot: 'slotMs' }) || {},
    populationStats: populationStats(e.populationStats),
  }) as unknown as EngineConfig;
  const secondary =
    store.secondary === undefined || store.secondary === false
      ? undefined
      : storeSection(store.secondary as Rec, ['store', 'secondary']);
  if (engine.hedgeDelayMs !== undefined && secondary === undefined) {
    throw new SpecProblem(['engine', 'hedgeDelay'], 'needs store.secondary (reads are hedged to it)');
  }
  if (engine.deadlineMs > engine.maxDeadlineMs) {
    throw new SpecProblem(['engine', 'deadline'], 'must not exceed engine.maxDeadline');
  }
  const auth = c.auth as Rec;
  const keys = (auth.keys ?? []) as Rec[];
  keys.forEach((k, i) => {
    if ((k.secretEnv === undefined) === (k.secretFile === undefined)) {
      throw new SpecProblem(
        ['auth', 'keys', i],
        'give exactly one of secretEnv (a variable name) or secretFile (a path)',
      );
    }
  });
  if (auth.mode === 'api-keys' && keys.length === 0 && auth.keysFile === undefined) {
    throw new SpecProblem(
      ['auth'],
      'mode api-keys needs keys (with secretEnv or secretFile) or keysFile; for local use without auth set mode: none',
    );
  }
  const status = (c.status ?? {}) as Rec;
  return {
    registry,
    store: { ...storeSection(store, ['store']), ...(secondary === undefined ? {} : { secondary }) },
    engine,
    ...defined({ servedLog: servedLog(c.servedLog) }),
    server: {
      ...(ms<ServerConfig['server']>(c.server, {
        shutdownTimeout: 'shutdownTimeoutMs',
      }) as ServerConfig['server']),
      overload: ms<OverloadConfig>((c.server as Rec).overload, {
        maxEventLoopDelay: 'maxEventLoopDelayMs',
        sampleInterval: 'sampleIntervalMs',
        retryAfter: 'retryAfterMs',
      }) as OverloadConfig | false,
    },
    auth: {
      mode: auth.mode as 'api-keys' | 'none',
      keys: keys as unknown as ServerConfig['auth']['keys'],
      ...(auth.keysFile === undefined ? {} : { keysFile: auth.keysFile as string }),
    },
    demo: ms<ServerConfig['demo']>(c.demo, { lag: 'lagMs', tick: 'tickMs' }) as ServerConfig['demo'],
    status: status.auditReportPath === undefined ? {} : { auditReportPath: status.auditReportPath as string },
  };
}
