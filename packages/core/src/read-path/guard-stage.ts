import { isGranaryError, StoreError } from '../errors.js';
import {
  CIRCUIT_BREAKER_DEFAULTS,
  type CircuitBreakerOptions,
  createStoreCircuitBreaker,
  type StoreCircuitBreaker,
} from '../fallback/circuit-breaker.js';
import { positive } from '../serving/option-checks.js';
import { abortable, abortError } from '../store/abort.js';
import { CIRCUIT_STATE_VALUES, type EngineMetrics } from '../telemetry/engine-metrics.js';
import { perView } from '../telemetry/label-cache.js';
import type { Clock } from '../time/clock.js';
import type { KeyOutcome, ReadNext, ReadStage, StageRead } from './read-stage.js';

/** The engine options the guard stage owns (one guard per store). */
export interface GuardStageOptions {
  /** Timeout of one store read, ms (bounds background reads and long deadlines). Default: 1000. */
  storeTimeoutMs?: number;
  /** Circuit breaker of each store. Default: open after 5 consecutive failures, half-open after 5 s. */
  circuitBreaker?: CircuitBreakerOptions;
}

/** Defaults of {@link GuardStageOptions}. */
export const GUARD_STAGE_DEFAULTS = Object.freeze({
  storeTimeoutMs: 1000,
  circuitBreaker: CIRCUIT_BREAKER_DEFAULTS,
});

/** Outcome of one guarded read, for metrics. */
export type GuardedReadOutcome = 'ok' | 'error' | 'timeout' | 'circuit_open' | 'aborted';

/** The stage in front of one store: its circuit breaker and its per-read timeout. */
export interface GuardStage extends ReadStage {
  /** The store's name in errors and metric labels. */
  readonly store: string;
  readonly breaker: StoreCircuitBreaker;
  /** The read timeout, ms. */
  readonly timeoutMs: number;
}

/** What a guard needs besides the engine options. */
export interface GuardStageDeps {
  /** Name in errors and metric labels. */
  readonly store: string;
  readonly clock: Clock;
  readonly metrics: Pick<
    EngineMetrics,
    'backendReads' | 'backendKeysPerRead' | 'backendReadDuration' | 'circuitState'
  >;
}

function classify(error: unknown): GuardedReadOutcome {
  if (!isGranaryError(error)) return 'error';
  switch (error.code) {
    case 'CIRCUIT_OPEN':
      return 'circuit_open';
    case 'STORE_TIMEOUT':
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'ABORTED':
      return 'aborted';
    default:
      return 'error';
  }
}

/**
 * Creates the guard of one store: reads go through its circuit breaker (cockatiel, consecutive failures;
 * request deadlines count as failures, caller aborts and validation errors do not) and a per-read timeout.
 * The timeout is one timer that aborts the read's own signal (the store sees the abort) and rejects at once
 * even if the store ignores it: cockatiel's TimeoutPolicy does the same with more machinery, and this sits
 * on every read. Rejects with CircuitOpenError when the circuit is open, StoreError(STORE_TIMEOUT) after the
 * timeout, AbortedError promptly when the read's signal aborts, or the store's own error (a non-Granary
 * error becomes a StoreError STORE_ERROR keeping it as `cause`). Records every attempt.
 */
export function createGuardStage(options: GuardStageOptions, deps: GuardStageDeps): GuardStage {
  const { store: name, metrics } = deps;
  const timeoutMs = positive(options.storeTimeoutMs, GUARD_STAGE_DEFAULTS.storeTimeoutMs, 'storeTimeoutMs');
  const breaker = createStoreCircuitBreaker(name, deps.clock, options.circuitBreaker);
  const storeLabels = Object.freeze({ store: name });
  const readLabels = perView((view) => ({ store: name, view }));
  const outcomeLabels = new Map<
    string,
    Partial<Record<GuardedReadOutcome, Readonly<Record<string, string>>>>
  >();
  const outcomeOf = (view: string, outcome: GuardedReadOutcome) => {
    let byOutcome = outcomeLabels.get(view);
    if (!byOutcome) {
      byOutcome = {};
      outcomeLabels.set(view, byOutcome);
    }
    let labels = byOutcome[outcome];
    if (!labels) {
      labels = Object.freeze({ store: name, view, outcome });
      byOutcome[outcome] = labels;
    }
    return labels;
  };
  metrics.circuitState.set(storeLabels, 0);
  breaker.onStateChange((s) => metrics.circuitState.set(storeLabels, CIRCUIT_STATE_VALUES[s]));

  const attempt = async (read: StageRead, next: ReadNext): Promise<readonly KeyOutcome[]> => {
    const { signal, view } = read;
    if (signal.aborted) throw abortError(signal);
    const controller = new AbortController();
    const inner = controller.signal;
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timeout = (cause?: unknown) =>
      new StoreError(
        'STORE_TIMEOUT',
        `read of ${view.name} from ${name} timed out after ${timeoutMs} ms`,
        name,
        {
          cause,
          details: { view: view.name },
        },
      );
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(timeout());
    }, timeoutMs);
    timer.unref?.();
    try {
      const guarded: StageRead = {
        view,
        keys: read.keys,
        features: read.features,
        signal: inner,
        minEventTime: read.minEventTime,
        hot: read.hot,
      };
      return await abortable(next(guarded), inner);
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      if (timedOut) throw timeout(error);
      if (isGranaryError(error)) throw error;
      throw new StoreError(
        'STORE_ERROR',
        `read of ${view.name} from ${name} failed: ${String(error)}`,
        name,
        {
          cause: error,
          details: { view: view.name },
        },
      );
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  };

  return {
    name: 'guard',
    store: name,
    breaker,
    timeoutMs,
    async read(read, next) {
      const started = performance.now();
      let outcome: GuardedReadOutcome = 'ok';
      try {
        return await abortable(
          breaker.execute(() => attempt(read, next)),
          read.signal,
        );
      } catch (error) {
        outcome = classify(error);
        throw error;
      } finally {
        const view = read.view.name;
        if (outcome !== 'circuit_open') {
          const labels = readLabels(view);
          metrics.backendKeysPerRead.observe(labels, read.keys.length);
          metrics.backendReadDuration.observe(labels, (performance.now() - started) / 1000);
        }
        metrics.backendReads.inc(outcomeOf(view, outcome));
      }
    },
  };
}
