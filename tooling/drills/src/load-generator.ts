import { performance } from 'node:perf_hooks';
import { type Clock, sleep, systemClock } from '@granary/core';
import type { LatencyWindow } from './latency-window.ts';
import type { Sleep } from './wait.ts';

/** What the load sends requests through: an undici `Pool` on the server, or a fake in tests. */
export interface RequestTarget {
  request(options: {
    method: 'POST';
    path: string;
    headers: Record<string, string>;
    body: string;
  }): Promise<{ statusCode: number; body: { dump(): Promise<unknown> } }>;
}

/** Options of {@link startLoad}. */
export interface LoadOptions {
  readonly target: RequestTarget;
  /** Requests per second, on a fixed schedule. */
  readonly rps: number;
  /** The view whose two features (`clicks`, `ctr`) each request reads. */
  readonly view: string;
  /** Each request is for one user drawn uniformly from `0 .. entities - 1`. */
  readonly entities: number;
  /** Receives each completed request's latency. */
  readonly latencies: LatencyWindow;
  /** Stamps each latency's completion time. Default: the system clock. */
  readonly clock?: Clock;
  /** Default: `Math.random`. */
  readonly random?: () => number;
  /** Default: a real timer (@granary/core's `sleep`). */
  readonly sleep?: Sleep;
}

/** A running load; the counts grow until {@link LoadGenerator.stop}. */
export interface LoadGenerator {
  /** Requests sent so far. */
  readonly sent: number;
  /** Requests that failed or answered other than 200. */
  readonly errors: number;
  /** Stops scheduling and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Open-loop read load: `POST /v1/features` (1 entity x 2 features) scheduled at a fixed rate whatever the
 * latency of earlier requests; each latency counts from the request's scheduled time, so a stall shows up in it.
 */
export function startLoad(o: LoadOptions): LoadGenerator {
  const clock = o.clock ?? systemClock;
  const random = o.random ?? Math.random;
  const pause = o.sleep ?? sleep;
  let sent = 0;
  let errors = 0;
  let loading = true;
  const period = 1000 / o.rps;
  const loadStart = performance.now();
  const inflight = new Set<Promise<void>>();
  const loop = (async () => {
    let i = 0;
    while (loading) {
      const scheduled = loadStart + i * period;
      const wait = scheduled - performance.now();
      if (wait > 1) await pause(wait);
      i += 1;
      sent += 1;
      const user = Math.floor(random() * o.entities);
      const p = o.target
        .request({
          method: 'POST',
          path: '/v1/features',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            features: [`${o.view}:clicks`, `${o.view}:ctr`],
            entities: [{ user_id: user }],
          }),
        })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode !== 200) errors += 1;
          o.latencies.record(clock.now(), performance.now() - scheduled);
        })
        .catch(() => {
          errors += 1;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
  })();
  return {
    get sent() {
      return sent;
    },
    get errors() {
      return errors;
    },
    async stop() {
      loading = false;
      await loop;
      await Promise.allSettled([...inflight]);
    },
  };
}
