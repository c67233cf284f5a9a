import { GranaryClientError } from './client-error.js';
import { backoffDelay, isRetryableStatus, type RetryOptions } from './retry-policy.js';
import type {
  EntityKey,
  FeastResponse,
  FeaturesResponse,
  FreshnessReport,
  HotKey,
  PushRow,
  Readiness,
} from './wire-types.js';

/** The header carrying the remaining deadline to the server. */
export const DEADLINE_HEADER = 'x-granary-deadline-ms';

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

/** Per-call options. */
export interface CallOptions {
  /** This call's deadline, ms (all attempts included). Default: the client's. */
  deadlineMs?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Sent as `x-request-id` (kept across retries). Default: the server generates one. */
  requestId?: string;
}

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
  /** `GET /v1/freshness`. Retried. */
  freshness(options?: CallOptions): Promise<FreshnessReport>;
  /** `GET /v1/hot-keys`. Retried. */
  hotKeys(query?: { view?: string; n?: number }, options?: CallOptions): Promise<{ hotKeys: HotKey[] }>;
  /** `GET /readyz`: resolves for 200 and 503 alike (`ready` tells). Retried on network errors. */
  readiness(options?: CallOptions): Promise<Readiness>;
}

const iso = (t: Date | string | number): string | number => (t instanceof Date ? t.toISOString() : t);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly idempotent: boolean;
  readonly deadlineMs: number;
  readonly options: CallOptions | undefined;
  /** Statuses returned as a value rather than thrown. */
  readonly accept?: readonly number[];
}

/**
 * Creates a client. Every call carries its deadline to the server (`x-granary-deadline-ms`, the time left)
 * and enforces it locally (`AbortSignal.timeout`); reads are retried with exponential backoff and full
 * jitter while the deadline allows; errors are {@link GranaryClientError}s carrying the server's code and
 * field path.
 */
export function createGranaryClient(options: GranaryClientOptions): GranaryClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;
  const retry: Required<RetryOptions> = {
    retries: options.retry?.retries ?? 2,
    baseDelayMs: options.retry?.baseDelayMs ?? 25,
    maxDelayMs: options.retry?.maxDelayMs ?? 250,
  };
  const readDeadline = options.deadlineMs ?? 1000;
  const writeDeadline = options.writeDeadlineMs ?? 10_000;

  async function call<T>(c: Call): Promise<T> {
    const deadlineMs = c.options?.deadlineMs ?? c.deadlineMs;
    const started = performance.now();
    const timeout = AbortSignal.timeout(deadlineMs);
    const signal = c.options?.signal ? AbortSignal.any([c.options.signal, timeout]) : timeout;
    const maxAttempts = c.idempotent ? retry.retries + 1 : 1;
    let attempt = 0;
    let requestId = c.options?.requestId;
    const failure = (cause: unknown, attempts: number): GranaryClientError => {
      if (c.options?.signal?.aborted) {
        return new GranaryClientError('aborted', `${c.method} ${c.path} aborted by the caller`, {
          code: 'ABORTED',
          retryable: false,
          attempts,
          cause,
          ...(requestId ? { requestId } : {}),
        });
      }
      if (timeout.aborted) {
        return new GranaryClientError(
          'timeout',
          `${c.method} ${c.path} exceeded its deadline of ${deadlineMs} ms`,
          {
            code: 'DEADLINE_EXCEEDED',
            retryable: true,
            attempts,
            cause,
            ...(requestId ? { requestId } : {}),
          },
        );
      }
      return new GranaryClientError(
        'network',
        `${c.method} ${c.path} failed: ${(cause as Error)?.message ?? String(cause)}`,
        {
          code: 'NETWORK_ERROR',
          retryable: true,
          attempts,
          cause,
          ...(requestId ? { requestId } : {}),
        },
      );
    };

    for (;;) {
      attempt++;
      const remaining = Math.max(1, Math.floor(deadlineMs - (performance.now() - started)));
      const headers: Record<string, string> = {
        ...options.headers,
        accept: 'application/json',
        [DEADLINE_HEADER]: String(remaining),
      };
      if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
      if (requestId !== undefined) headers['x-request-id'] = requestId;
      if (c.body !== undefined) headers['content-type'] = 'application/json';
      let error: GranaryClientError;
      try {
        const res = await doFetch(`${base}${c.path}`, {
          method: c.method,
          headers,
          signal,
          ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
        });
        requestId = res.headers.get('x-request-id') ?? requestId;
        const text = await res.text();
        if (res.ok || c.accept?.includes(res.status))
          return (text === '' ? undefined : JSON.parse(text)) as T;
        let body: { error?: { code?: string; message?: string; path?: string; retryable?: boolean } } = {};
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (a proxy's page): keep the status only
        }
        const e = body.error ?? {};
        error = new GranaryClientError('http', e.message ?? `${c.method} ${c.path} answered ${res.status}`, {
          status: res.status,
          code: e.code ?? `HTTP_${res.status}`,
          retryable: isRetryableStatus(res.status, e.retryable),
          attempts: attempt,
          ...(e.path === undefined ? {} : { path: e.path }),
          ...(requestId === undefined ? {} : { requestId }),
        });
      } catch (cause) {
        error = GranaryClientError.isInstance(cause) ? cause : failure(cause, attempt);
        if (error.kind === 'aborted' || error.kind === 'timeout') throw error;
      }
      if (!error.retryable || attempt >= maxAttempts) throw error;
      const delay = backoffDelay(attempt, retry, random);
      if (performance.now() - started + delay >= deadlineMs) throw error;
      try {
        await sleep(delay, signal);
      } catch (cause) {
        throw failure(cause, attempt);
      }
    }
  }

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
      const body = {
        rows: rows.map((r) => ({
          view: r.view,
          key: r.key,
          values: r.values,
          eventTime: iso(r.eventTime),
          ...(r.eventTimes
            ? { eventTimes: Object.fromEntries(Object.entries(r.eventTimes).map(([f, t]) => [f, iso(t)])) }
            : {}),
        })),
      };
      return call({
        method: 'POST',
        path: '/v1/push',
        body,
        idempotent: false,
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
