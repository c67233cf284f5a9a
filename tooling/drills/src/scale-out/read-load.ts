import { performance } from 'node:perf_hooks';
import { sleep } from '@granary/core';
import type { RequestTarget } from '../load-generator.ts';
import { SCALE_OUT_VIEW } from './scale-out-options.ts';

/** One answered (or failed) read of the open-loop load. */
export interface ReadSample {
  readonly server: string;
  /** When the request was sent, ms since the drill's start. */
  readonly sentAt: number;
  /** Send to full response, ms (the client's view; the generator's own queueing is in `scheduleLagMs`). */
  readonly latencyMs: number;
  /** How late the request left against its schedule, ms. */
  readonly scheduleLagMs: number;
  /** HTTP status, or 0 when the request failed without one. */
  readonly status: number;
  readonly user: number;
  /** The `seq` served, as a number, or null. */
  readonly seq: number | null;
  readonly source: string | null;
  readonly degraded: boolean;
}

/** A running open-loop read load over the servers currently in rotation. */
export interface ReadLoad {
  readonly samples: readonly ReadSample[];
  /** Takes a server out of rotation (as a load balancer would once its endpoint is removed). */
  remove(server: string): void;
  stop(): Promise<void>;
}

type FeaturesBody = {
  degraded?: boolean;
  entities?: { features: Record<string, { value: unknown; source: string }> }[];
};

/** Milliseconds on a clock shared by threads (performance.now() has a per-thread origin). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * Open-loop `POST /v1/features` reads (1 entity x `seq`) at `rps`, round robin over `targets`; `startedAt` is on
 * {@link wallNow}'s clock.
 */
export function startReadLoad(o: {
  readonly targets: ReadonlyMap<string, RequestTarget>;
  readonly rps: number;
  readonly entities: number;
  readonly startedAt: number;
  readonly random?: () => number;
}): ReadLoad {
  const random = o.random ?? Math.random;
  const rotation = [...o.targets.keys()];
  const samples: ReadSample[] = [];
  const inflight = new Set<Promise<void>>();
  let loading = true;
  const period = 1000 / o.rps;
  const t0 = performance.now();
  const offset = performance.timeOrigin - o.startedAt;
  const loop = (async () => {
    for (let i = 0; loading; i++) {
      const scheduled = t0 + i * period;
      const wait = scheduled - performance.now();
      if (wait > 1) await sleep(wait);
      if (rotation.length === 0) continue;
      const server = rotation[i % rotation.length] as string;
      const user = Math.floor(random() * o.entities);
      const sent = performance.now();
      const base = { server, sentAt: sent + offset, scheduleLagMs: Math.max(0, sent - scheduled), user };
      const p = (o.targets.get(server) as RequestTarget)
        .request({
          method: 'POST',
          path: '/v1/features',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ features: [`${SCALE_OUT_VIEW}:seq`], entities: [{ user_id: user }] }),
        })
        .then(async (res) => {
          const text = (await (res.body as unknown as { text(): Promise<string> }).text()) || '{}';
          const latencyMs = performance.now() - sent;
          const body = (res.statusCode === 200 ? JSON.parse(text) : {}) as FeaturesBody;
          const f = body.entities?.[0]?.features[`${SCALE_OUT_VIEW}:seq`];
          const seq = f?.value === null || f?.value === undefined ? null : Number(f.value);
          samples.push({
            ...base,
            latencyMs,
            status: res.statusCode,
            seq,
            source: f?.source ?? null,
            degraded: body.degraded === true,
          });
        })
        .catch(() => {
          samples.push({
            ...base,
            latencyMs: performance.now() - sent,
            status: 0,
            seq: null,
            source: null,
            degraded: true,
          });
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
  })();
  return {
    samples,
    remove(server) {
      const i = rotation.indexOf(server);
      if (i >= 0) rotation.splice(i, 1);
    },
    async stop() {
      loading = false;
      await loop;
      await Promise.allSettled([...inflight]);
    },
  };
}
