import { isGranaryError } from '../errors.js';
import { countsAgainstBreaker, type StoreCircuitBreaker } from '../fallback/circuit-breaker.js';
import { positive } from '../serving/option-checks.js';
import { abortError } from '../store/abort.js';
import type { OnlineStore } from '../store/online-store.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import type { KeyOutcome, ReadNext, ReadStage, StageRead } from './read-stage.js';

/** The engine options the failover stage owns. */
export interface FailoverStageOptions {
  /** A second store with the same data, for failover (primary failed or circuit open) and hedging. Default: none. */
  secondaryStore?: OnlineStore;
  /** Hedge a primary read to the secondary store after this many ms without an answer. Default: no hedging. */
  hedgeDelayMs?: number;
}

/** What the failover stage needs besides its options. */
export interface FailoverStageDeps {
  /** The primary's breaker: while it is open, reads go straight to the secondary. */
  readonly primaryBreaker: StoreCircuitBreaker;
  /** Reads from the secondary store (through its own guard); undefined without a secondary. */
  readonly secondary: ReadNext | undefined;
  readonly metrics: Pick<EngineMetrics, 'failovers' | 'hedgedReads'>;
}

type Outcomes = readonly KeyOutcome[];

/** True when another store may succeed where this error happened. */
function canFailOver(error: unknown): boolean {
  return isGranaryError(error, 'CIRCUIT_OPEN') || countsAgainstBreaker(error);
}

const LABELS = {
  circuitOpen: Object.freeze({ reason: 'circuit_open' }),
  error: Object.freeze({ reason: 'error' }),
  sent: Object.freeze({ outcome: 'sent' }),
  won: Object.freeze({ outcome: 'won' }),
} as const;

/**
 * Creates the failover stage, in front of the primary's guard (undefined without a secondary store):
 * - **failover**: when the primary's circuit is open the read goes straight to the secondary; when the
 *   primary's read fails (error, timeout) it is retried once on the secondary;
 * - **hedging** (with `hedgeDelayMs`): a primary read still pending after the delay is also sent to the
 *   secondary; the first success wins and the loser's signal is aborted.
 * When both fail, the primary's error is reported (the secondary's when the primary was merely refused by
 * its open circuit).
 */
export function createFailoverStage(
  options: FailoverStageOptions,
  deps: FailoverStageDeps,
): ReadStage | undefined {
  const { primaryBreaker, secondary, metrics } = deps;
  const hedgeDelayMs =
    options.hedgeDelayMs === undefined ? undefined : positive(options.hedgeDelayMs, 0, 'hedgeDelayMs', true);
  if (!secondary) return undefined;
  return {
    name: 'failover',
    read(read, primary) {
      if (primaryBreaker.isOpen()) {
        metrics.failovers.inc(LABELS.circuitOpen);
        return secondary(read);
      }
      return race(read, primary, secondary, hedgeDelayMs, metrics);
    },
  };
}

function race(
  read: StageRead,
  primary: ReadNext,
  secondary: ReadNext,
  hedgeDelayMs: number | undefined,
  metrics: FailoverStageDeps['metrics'],
): Promise<Outcomes> {
  const { signal } = read;
  return new Promise<Outcomes>((resolve, reject) => {
    const primaryCtl = new AbortController();
    const secondaryCtl = new AbortController();
    let done = false;
    let secondaryStarted = false;
    let primaryError: unknown;
    let primaryFailed = false;
    let secondaryError: unknown;
    let secondaryFailed = false;
    let hedgeTimer: ReturnType<typeof setTimeout> | undefined;

    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      if (hedgeTimer) clearTimeout(hedgeTimer);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(abortError(signal)));
    signal.addEventListener('abort', onAbort, { once: true });

    const bothFailed = () =>
      finish(() => reject(isGranaryError(primaryError, 'CIRCUIT_OPEN') ? secondaryError : primaryError));
    const startSecondary = (why: 'hedge' | 'failover') => {
      if (secondaryStarted || done) return;
      secondaryStarted = true;
      metrics[why === 'hedge' ? 'hedgedReads' : 'failovers'].inc(
        why === 'hedge' ? LABELS.sent : LABELS.error,
      );
      secondary({ ...read, signal: AbortSignal.any([signal, secondaryCtl.signal]) }).then(
        (outcomes) =>
          finish(() => {
            primaryCtl.abort();
            if (why === 'hedge' && !primaryFailed) metrics.hedgedReads.inc(LABELS.won);
            resolve(outcomes);
          }),
        (error: unknown) => {
          secondaryFailed = true;
          secondaryError = error;
          if (primaryFailed) bothFailed();
        },
      );
    };

    primary({ ...read, signal: AbortSignal.any([signal, primaryCtl.signal]) }).then(
      (outcomes) =>
        finish(() => {
          secondaryCtl.abort();
          resolve(outcomes);
        }),
      (error: unknown) => {
        primaryFailed = true;
        primaryError = error;
        if (done) return;
        if (signal.aborted) return onAbort();
        if (!canFailOver(error)) return finish(() => reject(error));
        if (!secondaryStarted) startSecondary('failover');
        else if (secondaryFailed) bothFailed();
      },
    );
    if (hedgeDelayMs !== undefined && !done) {
      hedgeTimer = setTimeout(() => startSecondary('hedge'), hedgeDelayMs);
      hedgeTimer.unref?.();
    }
  });
}
