import { type Backoff, sleep } from '@granary/core';
import { GranaryClientError } from './client-error.js';
import { isRetryableStatus } from './retry-policy.js';

/** The header carrying the remaining deadline to the server. */
export const DEADLINE_HEADER = 'x-granary-deadline-ms';

/** Per-call options. */
export interface CallOptions {
  /** This call's deadline, ms (all attempts included). Default: the client's. */
  deadlineMs?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Sent as `x-request-id` (kept across retries). Default: the server generates one. */
  requestId?: string;
}

/** One call of the client. */
export interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly idempotent: boolean;
  readonly deadlineMs: number;
  readonly options: CallOptions | undefined;
  /** Statuses returned as a value rather than thrown. */
  readonly accept?: readonly number[];
}

/** What calls share: where and how to send, and how to retry. */
export interface CallerOptions {
  readonly base: string;
  readonly fetch: typeof fetch;
  readonly apiKey: string | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Retries of idempotent calls. */
  readonly retries: number;
  readonly backoff: Backoff;
}

/** The state of one call across its attempts. */
interface Attempts {
  readonly call: Call;
  readonly deadlineMs: number;
  readonly started: number;
  readonly timeout: AbortSignal;
  readonly signal: AbortSignal;
  attempt: number;
  requestId: string | undefined;
}

/**
 * Creates the function every client method sends through: one deadline for all attempts, carried to the
 * server (`x-granary-deadline-ms`, the time left) and enforced locally; idempotent calls retried on
 * retryable answers and network errors with the backoff, as long as the next attempt fits in the deadline.
 */
export function createCaller(o: CallerOptions): <T>(call: Call) => Promise<T> {
  return async <T>(c: Call): Promise<T> => {
    const deadlineMs = c.options?.deadlineMs ?? c.deadlineMs;
    const timeout = AbortSignal.timeout(deadlineMs);
    const signal = c.options?.signal ? AbortSignal.any([c.options.signal, timeout]) : timeout;
    const state: Attempts = {
      call: c,
      deadlineMs,
      started: performance.now(),
      timeout,
      signal,
      attempt: 0,
      requestId: c.options?.requestId,
    };
    const maxAttempts = c.idempotent ? o.retries + 1 : 1;
    for (;;) {
      state.attempt++;
      const outcome = await attempt<T>(o, state);
      if (outcome.ok) return outcome.value;
      const error = outcome.error;
      if (!error.retryable || state.attempt >= maxAttempts) throw error;
      const delay = o.backoff.delay(state.attempt);
      if (performance.now() - state.started + delay >= deadlineMs) throw error;
      try {
        await sleep(delay, signal);
      } catch (cause) {
        throw failure(state, cause);
      }
    }
  };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: GranaryClientError };

/** Sends one attempt; throws only when the call must stop (abort, deadline). */
async function attempt<T>(o: CallerOptions, s: Attempts): Promise<Outcome<T>> {
  const c = s.call;
  const remaining = Math.max(1, Math.floor(s.deadlineMs - (performance.now() - s.started)));
  const headers: Record<string, string> = {
    ...o.headers,
    accept: 'application/json',
    [DEADLINE_HEADER]: String(remaining),
  };
  if (o.apiKey !== undefined) headers.authorization = `Bearer ${o.apiKey}`;
  if (s.requestId !== undefined) headers['x-request-id'] = s.requestId;
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await o.fetch(`${o.base}${c.path}`, {
      method: c.method,
      headers,
      signal: s.signal,
      ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
    });
    s.requestId = res.headers.get('x-request-id') ?? s.requestId;
    const text = await res.text();
    if (res.ok || c.accept?.includes(res.status)) {
      return { ok: true, value: (text === '' ? undefined : JSON.parse(text)) as T };
    }
    return { ok: false, error: httpError(s, res.status, text) };
  } catch (cause) {
    const error = GranaryClientError.isInstance(cause) ? cause : failure(s, cause);
    if (error.kind === 'aborted' || error.kind === 'timeout') throw error;
    return { ok: false, error };
  }
}

/** The error of an answer with an error status, from the server's error body when it sent one. */
function httpError(s: Attempts, status: number, text: string): GranaryClientError {
  const c = s.call;
  let body: { error?: { code?: string; message?: string; path?: string; retryable?: boolean } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a proxy's page): keep the status only
  }
  const e = body.error ?? {};
  return new GranaryClientError('http', e.message ?? `${c.method} ${c.path} answered ${status}`, {
    status,
    code: e.code ?? `HTTP_${status}`,
    retryable: isRetryableStatus(status, e.retryable),
    attempts: s.attempt,
    ...(e.path === undefined ? {} : { path: e.path }),
    ...(s.requestId === undefined ? {} : { requestId: s.requestId }),
  });
}

/** The error of an attempt that got no answer: the caller's abort, the deadline, or the network. */
function failure(s: Attempts, cause: unknown): GranaryClientError {
  const c = s.call;
  const requestId = s.requestId ? { requestId: s.requestId } : {};
  if (c.options?.signal?.aborted) {
    return new GranaryClientError('aborted', `${c.method} ${c.path} aborted by the caller`, {
      code: 'ABORTED',
      retryable: false,
      attempts: s.attempt,
      cause,
      ...requestId,
    });
  }
  if (s.timeout.aborted) {
    return new GranaryClientError(
      'timeout',
      `${c.method} ${c.path} exceeded its deadline of ${s.deadlineMs} ms`,
      {
        code: 'DEADLINE_EXCEEDED',
        retryable: true,
        attempts: s.attempt,
        cause,
        ...requestId,
      },
    );
  }
  return new GranaryClientError(
    'network',
    `${c.method} ${c.path} failed: ${(cause as Error)?.message ?? String(cause)}`,
    {
      code: 'NETWORK_ERROR',
      retryable: true,
      attempts: s.attempt,
      cause,
      ...requestId,
    },
  );
}
