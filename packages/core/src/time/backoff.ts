/** How a backoff randomises its delays. */
export type BackoffJitter = 'full' | 'equal' | 'none';

/** Options of {@link createBackoff}. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay (attempt 1), ms. */
  initialMs: number;
  /** Largest ceiling, ms (finite). The ceiling of attempt n is `min(maxMs, initialMs * factor^(n-1))`. */
  maxMs: number;
  /** Growth of the ceiling per attempt. Default: 2 (1 makes a constant backoff). */
  factor?: number;
  /**
   * `full`: a delay drawn uniformly in `[0, ceiling)` ("full jitter", AWS Architecture Blog, "Exponential
   * Backoff And Jitter": spreads retries of many clients best); `equal`: in `[ceiling / 2, ceiling)` (never
   * retries at once); `none`: the ceiling itself. Delays are whole ms (rounded down). Default: `full`.
   */
  jitter?: BackoffJitter;
  /** Uniform random numbers in [0, 1), injectable for tests. Default: `Math.random`. */
  random?: () => number;
}

/** Delays between retries that grow exponentially up to a bound, with jitter. */
export interface Backoff {
  /** The delay before retry number `attempt` (1 for the first retry), in whole ms. */
  delay(attempt: number): number;
}

/** Defaults of {@link BackoffOptions}. */
export const BACKOFF_DEFAULTS = Object.freeze({ factor: 2, jitter: 'full' as BackoffJitter });

/**
 * Creates a {@link Backoff}: Granary's one backoff, used by the DynamoDB adapter (unprocessed keys), the HTTP
 * client (retries), the circuit breaker (its half-open delay, through `createClockBackoff`) and the Kafka
 * materializer (paused partitions). Throws a RangeError for a non-positive or infinite bound.
 *
 * @example
 * const backoff = createBackoff({ initialMs: 25, maxMs: 1000 });
 * await sleep(backoff.delay(attempt), signal);
 */
export function createBackoff(options: BackoffOptions): Backoff {
  const { initialMs, maxMs } = options;
  const factor = options.factor ?? BACKOFF_DEFAULTS.factor;
  const jitter = options.jitter ?? BACKOFF_DEFAULTS.jitter;
  const random = options.random ?? Math.random;
  if (!(initialMs >= 0 && Number.isFinite(initialMs)) || !(maxMs >= 0 && Number.isFinite(maxMs))) {
    throw new RangeError(`backoff bounds must be finite and >= 0 (initialMs ${initialMs}, maxMs ${maxMs})`);
  }
  if (!(factor >= 1)) throw new RangeError(`backoff factor must be >= 1, got ${factor}`);
  return {
    delay(attempt) {
      // The exponent is capped so that the ceiling never overflows to Infinity * 0 = NaN.
      const ceiling = Math.min(maxMs, initialMs * factor ** Math.min(Math.max(0, attempt - 1), 1023));
      if (jitter === 'none') return Math.floor(ceiling);
      if (jitter === 'equal') return Math.floor(ceiling * (0.5 + random() / 2));
      return Math.floor(random() * ceiling);
    },
  };
}
