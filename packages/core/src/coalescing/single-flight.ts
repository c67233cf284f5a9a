import { abortError } from '../store/abort.js';

/** Options of {@link createSingleFlight}. */
export interface SingleFlightOptions {
  /** Called when a caller joins a flight already in progress (for metrics). */
  onJoin?: (key: string) => void;
}

/** Options of {@link SingleFlight.run}. */
export interface SingleFlightRunOptions {
  /** This caller's signal: aborting it rejects this caller only (AbortedError), promptly. */
  signal?: AbortSignal;
}

/**
 * Coalesces concurrent calls for the same key into one execution ("single flight").
 *
 * - The first caller of a key starts `fn`; callers arriving while it runs join it and get the same result,
 *   or the same error (the real error reaches every waiter).
 * - Each caller keeps its own signal (deadline): when it aborts, that caller alone rejects promptly with an
 *   AbortedError; the others keep waiting.
 * - The shared execution's signal aborts only when **every** waiter has aborted (with the last waiter's
 *   reason). The flight is then forgotten, so a later caller starts afresh instead of joining a cancelled one.
 * - Once a flight settles it is forgotten: results are not cached.
 */
export interface SingleFlight<T> {
  /** Runs `fn` for `key`, or joins the execution already in flight for `key`. */
  run(key: string, fn: (signal: AbortSignal) => Promise<T>, options?: SingleFlightRunOptions): Promise<T>;
  /** True while an execution for `key` is in flight (and has at least one waiter). */
  has(key: string): boolean;
  /** Number of flights in progress. */
  readonly size: number;
}

interface Flight<T> {
  readonly controller: AbortController;
  promise: Promise<T>;
  waiters: number;
  settled: boolean;
}

/** Creates an empty {@link SingleFlight}. */
export function createSingleFlight<T>(options: SingleFlightOptions = {}): SingleFlight<T> {
  const flights = new Map<string, Flight<T>>();

  const forget = (key: string, flight: Flight<T>) => {
    if (flights.get(key) === flight) flights.delete(key);
  };

  const wait = (key: string, flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> => {
    if (!signal) return flight.promise;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        reject(abortError(signal));
        flight.waiters--;
        if (flight.waiters === 0 && !flight.settled) {
          forget(key, flight);
          flight.controller.abort(signal.reason);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (done) return;
          done = true;
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };

  return {
    run(key, fn, runOptions = {}) {
      const { signal } = runOptions;
      if (signal?.aborted) return Promise.reject(abortError(signal));
      let flight = flights.get(key);
      if (flight) {
        options.onJoin?.(key);
      } else {
        const controller = new AbortController();
        const created: Flight<T> = {
          controller,
          promise: Promise.resolve() as Promise<T>,
          waiters: 0,
          settled: false,
        };
        flights.set(key, created);
        let started: Promise<T>;
        try {
          started = fn(controller.signal);
        } catch (error) {
          started = Promise.reject(error);
        }
        created.promise = started.finally(() => {
          created.settled = true;
          forget(key, created);
        });
        created.promise.catch(() => {});
        flight = created;
      }
      flight.waiters++;
      return wait(key, flight, signal);
    },
    has: (key) => flights.has(key),
    get size() {
      return flights.size;
    },
  };
}
