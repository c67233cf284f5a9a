import { createBackoff } from '@granary/core';
import { type CallOptions, createCaller } from './http-call.js';
import { RETRY_DEFAULTS, type RetryOptions } from './retry-policy.js';
import type {
  EntityKey,
  FeastResponse,
  FeaturesResponse,
  FreshnessReport,
  HotKey,
  ProducerHeartbeat,
  ProducerHeartbeatAnswer,
  PushRow,
  Readiness,
} from './wire-types.js';

/** Options of {@link createGranaryClient}. */
export interface GranaryClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`. Required. */
  baseUrl: string;
  /** API key, sent as `Authorization: Bearer <key>`. Default: none (servers in auth mode `none`). */
  apiKey?: string;
  /** Deadline of a read (all attempts included), ms. Default: 1000. */
  deadlineMs?: number;
  /** Deadline of a push, ms. Default: 10000. */
  writeDeadlineMs?: number;
  /** Retries of idempotent reads (features, Feast reads, freshness, hot keys, readiness). Pushes are never retried. */
  retry?: RetryOptions;
  /** Extra headers on every call. Default: none. */
  headers?: Readonly<Record<string, string>>;
  /** The fetch implementation. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Uniform random numbers in [0, 1) for the backoff jitter. Default: Math.random. */
  random?: () => number;
}

export type { CallOptions } from './http-call.js';

/** Request of {@link GranaryClient.getFeatures}. */
export interface GetFeaturesRequest {
  /** `view:feature` references. */
  features: readonly string[];
  /** One record of join keys per entity. */
  entities: readonly EntityKey[];
  /** Consistency watermark: values older than this are flagged BEHIND. */
  minEventTime?: Date | string | number;
}

/** Request of {@link GranaryClient.getOnlineFeatures} (Feast's format). */
export interface FeastRequest {
  features: readonly string[];
  /** Columnar: join key to its values. */
  entities: Readonly<Record<string, readonly (string | number)[]>>;
  full_feature_names?: boolean;
}

/** A typed client of the Granary reference server. */
export interface GranaryClient {
  /** `POST /v1/features`. Retried on 429/502/503/504 and network errors within the deadline. */
  getFeatures(request: GetFeaturesRequest, options?: CallOptions): Promise<FeaturesResponse>;
  /** Feast's `POST /get-online-features`. Retried like `getFeatures`. */
  getOnlineFeatures(request: FeastRequest, options?: CallOptions): Promise<FeastResponse>;
  /** `POST /v1/push` (write scope). Never retried: a failed push may have been applied in part. */
  push(rows: readonly PushRow[], options?: CallOptions): Promise<{ written: number }>;
  /**
   * `POST /v1/heartbeats` (write scope): tells the server a producer (a batch job, a stream) has written
   * `view` completely up to `completeUpTo`. Retried: the server keeps the newest, so a repeat changes nothing.
   *
   * @example
   * await client.heartbeat({ view: 'user_stats', producer: 'nightly-batch', completeUpTo: batchEnd });
   */
  heartbeat(heartbeat: ProducerHeartbeat, options?: CallOptions): Promise<ProducerHeartbeatAnswer>;
  /** `GET /v1/freshness`. Retried. */
  freshness(options?: CallOptions): Promise<FreshnessReport>;
  /** `GET /v1/hot-keys`. Retried. */
  hotKeys(query?: { view?: string; n?: number }, options?: CallOptions): Promise<{ hotKeys: HotKey[] }>;
  /** `GET /readyz`: resolves for 200 and 503 alike (`ready` tells). Retried on network errors. */
  readiness(options?: CallOptions): Promise<Readiness>;
}

const iso = (t: Date | string | number): string | number => (t instanceof Date ? t.toISOString() : t);

/** A pushed row on the wire: times as ISO-8601 (Dates) or as given. */
const wirePushRow = (r: PushRow) => ({
  view: r.view,
  key: r.key,
  values: r.values,
  eventTime: iso(r.eventTime),
  ...(r.eventTimes
    ? { eventTimes: Object.fromEntries(Object.entries(r.eventTimes).map(([f, t]) => [f, iso(t)])) }
    : {}),
});

/**
 * Creates a client. Every call carries its deadline to the server (`x-granary-deadline-ms`, the time left)
 * and enforces it locally (`AbortSignal.timeout`); reads are retried with exponential backoff and full
 * jitter (core's `createBackoff`) while the deadline allows; errors are {@link GranaryClientError}s carrying
 * the server's code and field path.
 */
export function createGranaryClient(options: GranaryClientOptions): GranaryClient {
  const call = createCaller({
    base: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch,
    apiKey: options.apiKey,
    headers: options.headers,
    retries: options.retry?.retries ?? RETRY_DEFAULTS.retries,
    backoff: createBackoff({
      initialMs: options.retry?.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs,
      maxMs: options.retry?.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
      jitter: 'full',
      random: options.random ?? Math.random,
    }),
  });
  const readDeadline = options.deadlineMs ?? 1000;
  const writeDeadline = options.writeDeadlineMs ?? 10_000;

  return {
    getFeatures(request, opts) {
      const body = {
        features: request.features,
        entities: request.entities,
        ...(request.minEventTime === undefined ? {} : { minEventTime: iso(request.minEventTime) }),
      };
      return call({
        method: 'POST',
        path: '/v1/features',
        body,
        idempotent: true,
        deadlineMs: readDeadline,
        options: opts,
      });
    },
    getOnlineFeatures(request, opts) {
      return call({
        method: 'POST',
        path: '/get-online-features',
        body: request,
        idempotent: true,
        deadlineMs: readDeadline,
        options: opts,
      });
    },
    push(rows, opts) {
      return call({
        method: 'POST',
        path: '/v1/push',
        body: { rows: rows.map(wirePushRow) },
        idempotent: false,
        deadlineMs: writeDeadline,
        options: opts,
      });
    },
    heartbeat(h, opts) {
      return call({
        method: 'POST',
        path: '/v1/heartbeats',
        body: { view: h.view, producer: h.producer, completeUpTo: iso(h.completeUpTo) },
        idempotent: true,
        deadlineMs: writeDeadline,
        options: opts,
      });
    },
    freshness(opts) {
      return call({
        method: 'GET',
        path: '/v1/freshness',
        idempotent: true,
        deadlineMs: readDeadline,
        options: opts,
      });
    },
    hotKeys(query = {}, opts) {
      const params = new URLSearchParams();
      if (query.view !== undefined) params.set('view', query.view);
      if (query.n !== undefined) params.set('n', String(query.n));
      const qs = params.size > 0 ? `?${params}` : '';
      return call({
        method: 'GET',
        path: `/v1/hot-keys${qs}`,
        idempotent: true,
        deadlineMs: readDeadline,
        options: opts,
      });
    },
    readiness(opts) {
      return call({
        method: 'GET',
        path: '/readyz',
        idempotent: true,
        deadlineMs: readDeadline,
        options: opts,
        accept: [503],
      });
    },
  };
}
