import { isGranaryError } from '../errors.js';
import type { FeatureView } from '../registry/feature-view.js';
import { abortError } from '../store/abort.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { ReadRow } from '../store/online-store.js';
import { countsAgainstBreaker } from './circuit-breaker.js';
import type { GuardedStore } from './guarded-store.js';

/** Options of {@link createResilientReader}. */
export interface ResilientReaderOptions {
  primary: GuardedStore;
  /** A second store holding the same data (another region, a replica). Default: none. */
  secondary?: GuardedStore;
  /**
   * Send the same read to the secondary when the primary has not answered after this many ms; the first good
   * answer wins and the other read is cancelled. Default: undefined (no hedging; failover only).
   */
  hedgeDelayMs?: number;
  /** Called when a read is sent to the secondary because the primary failed or its circuit is open. */
  onFailover?: (reason: 'circuit_open' | 'error') => void;
  /** Called when a hedge is sent, and when it wins. */
  onHedge?: (event: 'sent' | 'won') => void;
}

/** Reads from the primary store, failing over (and optionally hedging) to a secondary. */
export interface ResilientReader {
  read(
    view: FeatureView,
    keys: readonly EntityKeyString[],
    features: readonly string[],
    signal: AbortSignal,
  ): Promise<ReadRow[]>;
}

/** True when another store may succeed where this error happened. */
function canFailOver(error: unknown): boolean {
  return isGranaryError(error, 'CIRCUIT_OPEN') || countsAgainstBreaker(error);
}

/**
 * Creates the reader. Without a secondary it is the guarded primary. With one:
 * - **failover**: when the primary's circuit is open the read goes straight to the secondary; when the
 *   primary's read fails (error, timeout) it is retried once on the secondary;
 * - **hedging** (with `hedgeDelayMs`): a primary read still pending after the delay is also sent to the
 *   secondary; the first success wins and the loser's signal is aborted.
 * When both fail, the primary's error is reported (the secondary's when the primary was merely refused by
 * its open circuit).
 */
export function createResilientReader(options: ResilientReaderOptions): ResilientReader {
  const { primary, secondary, hedgeDelayMs } = options;
  if (!secondary)
    return { read: (view, keys, features, signal) => primary.read(view, keys, features, signal) };

  return {
    read(view, keys, features, signal) {
      if (primary.breaker.isOpen()) {
        options.onFailover?.('circuit_open');
        return secondary.read(view, keys, features, signal);
      }
      return new Promise<ReadRow[]>((resolve, reject) => {
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
          if (why === 'hedge') options.onHedge?.('sent');
          else options.onFailover?.('error');
          secondary.read(view, keys, features, AbortSignal.any([signal, secondaryCtl.signal])).then(
            (rows) =>
              finish(() => {
                primaryCtl.abort();
                if (why === 'hedge' && !primaryFailed) options.onHedge?.('won');
                resolve(rows);
              }),
            (error: unknown) => {
              secondaryFailed = true;
              secondaryError = error;
              if (primaryFailed) bothFailed();
            },
          );
        };

        primary.read(view, keys, features, AbortSignal.any([signal, primaryCtl.signal])).then(
          (rows) =>
            finish(() => {
              secondaryCtl.abort();
              resolve(rows);
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
    },
  };
}
