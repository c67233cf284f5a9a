import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
} from 'cockatiel';
import { CircuitOpenError, isGranaryError } from '../errors.js';
import { createBackoff } from '../time/backoff.js';
import type { Clock } from '../time/clock.js';
import { createClockBackoff } from './clock-backoff.js';

/** Options of a store's circuit breaker. */
export interface CircuitBreakerOptions {
  /** Turn the breaker off (every call goes through). Default: false. */
  disabled?: boolean;
  /** Consecutive failed reads that open the circuit. Default: 5. */
  consecutiveFailures?: number;
  /** Time the circuit stays open before one trial read is let through (half-open), ms. Default: 5000. */
  halfOpenAfterMs?: number;
  /**
   * A read ended by the caller's deadline (`DEADLINE_EXCEEDED`) counts against the breaker only when the store
   * had at least this long to answer, ms. A budget no store can meet says nothing about the store, and one
   * client sending tiny deadlines must not open the circuit for every other client. Default: 100.
   */
  deadlineCountsAfterMs?: number;
}

/** A breaker state as reported by health() and metrics. */
export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';

/** A circuit breaker around one store (cockatiel's, with a consecutive-failure breaker). */
export interface StoreCircuitBreaker {
  /** Runs `fn` unless the circuit is open; then rejects with a CircuitOpenError naming the store. */
  execute<T>(fn: () => Promise<T>): Promise<T>;
  /** The current state. An open circuit whose delay has passed still reports `open` until a call tries it. */
  state(): CircuitStateName;
  /** True when a call now would be refused without trying the store. */
  isOpen(): boolean;
  /** Registers a listener for state changes; returns a function removing it. */
  onStateChange(listener: (state: CircuitStateName) => void): () => void;
}

const NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Which failures count against the breaker: store errors that say the backend is unwell
 * (unavailable, timeout, throttled, generic error, closed), deadline expiries of the backend read (by the
 * breaker only when the store had `deadlineCountsAfterMs` to answer), and errors that are not Granary errors
 * at all (a broken adapter). Not counted: validation and codec errors (a bad
 * request or a bad value, not a sick store) and plain caller aborts.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  if (!isGranaryError(error)) return true;
  switch (error.code) {
    case 'STORE_UNAVAILABLE':
    case 'STORE_TIMEOUT':
    case 'STORE_THROTTLED':
    case 'STORE_ERROR':
    case 'STORE_CLOSED':
    case 'DEADLINE_EXCEEDED':
      return true;
    default:
      return false;
  }
}

/** Defaults of {@link CircuitBreakerOptions}. */
export const CIRCUIT_BREAKER_DEFAULTS = Object.freeze({
  consecutiveFailures: 5,
  halfOpenAfterMs: 5000,
  deadlineCountsAfterMs: 100,
});

/** A failure the breaker lets through without counting it (a deadline too short to say anything). */
class UncountedFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

const isDeadline = (error: unknown) => isGranaryError(error) && error.code === 'DEADLINE_EXCEEDED';

/** Creates the breaker of the store called `storeName`. */
export function createStoreCircuitBreaker(
  storeName: string,
  clock: Clock,
  options: CircuitBreakerOptions = {},
): StoreCircuitBreaker {
  if (options.disabled) {
    return {
      execute: (fn) => fn(),
      state: () => 'closed',
      isOpen: () => false,
      onStateChange: () => () => {},
    };
  }
  const halfOpenAfterMs = options.halfOpenAfterMs ?? CIRCUIT_BREAKER_DEFAULTS.halfOpenAfterMs;
  const deadlineCountsAfterMs =
    options.deadlineCountsAfterMs ?? CIRCUIT_BREAKER_DEFAULTS.deadlineCountsAfterMs;
  const counts = (error: unknown) => !(error instanceof UncountedFailure) && countsAgainstBreaker(error);
  const policy: CircuitBreakerPolicy = circuitBreaker(handleWhen(counts), {
    halfOpenAfter: createClockBackoff(
      clock,
      createBackoff({ initialMs: halfOpenAfterMs, maxMs: halfOpenAfterMs, factor: 1, jitter: 'none' }),
    ),
    breaker: new ConsecutiveBreaker(
      options.consecutiveFailures ?? CIRCUIT_BREAKER_DEFAULTS.consecutiveFailures,
    ),
  });
  let openedAt = 0;
  policy.onBreak(() => {
    openedAt = clock.now();
  });
  return {
    async execute(fn) {
      try {
        return await policy.execute(async () => {
          const started = clock.now();
          try {
            return await fn();
          } catch (error) {
            if (isDeadline(error) && clock.now() - started < deadlineCountsAfterMs) {
              throw new UncountedFailure(error);
            }
            throw error;
          }
        });
      } catch (error) {
        if (error instanceof UncountedFailure) throw error.error;
        if (isBrokenCircuitError(error)) {
          throw new CircuitOpenError(`circuit of store ${storeName} is open`, {
            cause: error,
            details: { store: storeName },
          });
        }
        throw error;
      }
    },
    state: () => NAMES[policy.state],
    isOpen: () =>
      policy.state === CircuitState.Isolated ||
      (policy.state === CircuitState.Open && clock.now() < openedAt + halfOpenAfterMs),
    onStateChange(listener) {
      const d = policy.onStateChange((s) => listener(NAMES[s]));
      return () => d.dispose();
    },
  };
}
