import { abortError } from '../store/abort.js';

/** The outcome of one item of a batch. */
export type BatchResult<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: unknown };

/** Options of {@link createMicroBatcher}. */
export interface MicroBatcherOptions<Q, R> {
  /**
   * Executes one batch; returns one result per item, aligned with `items`. Throwing (or rejecting) fails
   * every item with that error. `signal` aborts when every item of the batch has been aborted.
   */
  dispatch: (items: readonly Q[], signal: AbortSignal) => Promise<readonly BatchResult<R>[]>;
  /**
   * How long the first item of a batch waits for others, ms. With 0, items added in the same synchronous run
   * always share a batch; while another batch of this batcher is still in flight, the batch also waits for the
   * end of the event-loop turn (`setImmediate`) to gather items from other callbacks (other requests); when
   * none is in flight there is nobody to wait for, and it is dispatched as soon as the current run's
   * microtasks are done. Default: 0.
   */
  windowMs?: number;
  /** A batch reaching this many items is dispatched at once. Default: 1000. */
  maxBatchSize?: number;
  /** Called with the size of each dispatched batch. */
  onBatch?: (size: number) => void;
}

/** Options of {@link MicroBatcher.load}. */
export interface MicroBatcherLoadOptions {
  /** Aborting rejects this item only, promptly, with an AbortedError; an unsent item leaves its batch. */
  signal?: AbortSignal;
}

/** Collects items arriving within a short window into one dispatch. */
export interface MicroBatcher<Q, R> {
  /** Adds an item to the pending batch and resolves with its result. */
  load(item: Q, options?: MicroBatcherLoadOptions): Promise<R>;
  /** Dispatches the pending batch now. */
  flush(): void;
  /** Items waiting for the next dispatch. */
  readonly pending: number;
  /** Batches dispatched and not settled yet. */
  readonly inFlight: number;
}

interface Entry<Q, R> {
  readonly item: Q;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (value: R) => void;
  readonly reject: (error: unknown) => void;
  /** Set once the item settled (result, error or its own abort). */
  done: boolean;
  onAbort?: () => void;
  /** The batch it was dispatched in. */
  sent: { readonly controller: AbortController; live: number } | undefined;
}

/** Settles an entry once (its result, its error or its own abort), dropping its abort listener. */
function settle<Q, R>(entry: Entry<Q, R>, fn: () => void): void {
  if (entry.done) return;
  entry.done = true;
  if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
  fn();
}

/** Hands each entry of a dispatched batch its result (or the batch's error) once `run` settles. */
function deliver<Q, R>(
  batch: readonly Entry<Q, R>[],
  run: Promise<readonly BatchResult<R>[]>,
  settled: () => void,
): void {
  run.then(
    (results) => {
      settled();
      if (results.length !== batch.length) {
        const error = new Error(
          `batch dispatch returned ${results.length} results for ${batch.length} items`,
        );
        for (const e of batch) settle(e, () => e.reject(error));
        return;
      }
      for (let i = 0; i < batch.length; i++) {
        const e = batch[i] as Entry<Q, R>;
        const r = results[i] as BatchResult<R>;
        settle(e, () => (r.ok ? e.resolve(r.value) : e.reject(r.error)));
      }
    },
    (error: unknown) => {
      settled();
      for (const e of batch) settle(e, () => e.reject(error));
    },
  );
}

/** Defaults of the micro-batcher. */
export const MICRO_BATCH_DEFAULTS = Object.freeze({ windowMs: 0, maxBatchSize: 1000 });

/** Creates a {@link MicroBatcher}. */
export function createMicroBatcher<Q, R>(options: MicroBatcherOptions<Q, R>): MicroBatcher<Q, R> {
  const windowMs = options.windowMs ?? MICRO_BATCH_DEFAULTS.windowMs;
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? MICRO_BATCH_DEFAULTS.maxBatchSize);
  let pending: Entry<Q, R>[] = [];
  /** Pending entries that aborted before dispatch (skipped at flush). */
  let abortedPending = 0;
  let timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | 'microtask' | undefined;
  /** Batches dispatched and not settled yet. */
  let inFlight = 0;

  const cancelTimer = () => {
    if (timer === undefined) return;
    if (timer === 'microtask') {
      // The queued microtask sees `timer` cleared and does nothing.
    } else if (windowMs > 0) clearTimeout(timer as ReturnType<typeof setTimeout>);
    else clearImmediate(timer as ReturnType<typeof setImmediate>);
    timer = undefined;
  };

  /** One batch in flight: its controller aborts when every live item of the batch aborted. */
  interface Sent {
    readonly controller: AbortController;
    live: number;
  }

  const flush = () => {
    cancelTimer();
    const batch = abortedPending > 0 ? pending.filter((e) => !e.done) : pending;
    pending = [];
    abortedPending = 0;
    if (batch.length === 0) return;
    options.onBatch?.(batch.length);
    const sent: Sent = { controller: new AbortController(), live: batch.length };
    const items = new Array<Q>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const entry = batch[i] as Entry<Q, R>;
      entry.sent = sent;
      items[i] = entry.item;
    }
    let run: Promise<readonly BatchResult<R>[]>;
    try {
      run = options.dispatch(items, sent.controller.signal);
    } catch (error) {
      run = Promise.reject(error);
    }
    inFlight++;
    deliver(batch, run, () => {
      inFlight--;
    });
  };

  const schedule = () => {
    if (timer !== undefined) return;
    if (windowMs > 0) {
      timer = setTimeout(flush, windowMs);
      timer.unref?.();
    } else if (inFlight > 0) {
      timer = setImmediate(flush);
    } else {
      timer = 'microtask';
      queueMicrotask(() => {
        if (timer === 'microtask') flush();
      });
    }
  };

  return {
    load(item, loadOptions = {}) {
      const { signal } = loadOptions;
      if (signal?.aborted) return Promise.reject(abortError(signal));
      return new Promise<R>((resolve, reject) => {
        const entry: Entry<Q, R> = { item, signal, resolve, reject, done: false, sent: undefined };
        if (signal) {
          // One listener for the entry's life: before dispatch the item leaves the pending batch; after it,
          // the item rejects alone and the batch is cancelled once all its items are gone.
          entry.onAbort = () => {
            if (entry.done) return;
            settle(entry, () => reject(abortError(signal)));
            const sent = entry.sent;
            if (!sent) abortedPending++;
            else if (--sent.live === 0) sent.controller.abort(signal.reason);
          };
          signal.addEventListener('abort', entry.onAbort, { once: true });
        }
        pending.push(entry);
        if (pending.length >= maxBatchSize) flush();
        else schedule();
      });
    },
    flush,
    get pending() {
      return pending.filter((e) => !e.done).length;
    },
    get inFlight() {
      return inFlight;
    },
  };
}
