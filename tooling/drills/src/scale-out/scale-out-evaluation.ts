import { percentile } from '../latency-window.ts';
import type { ReadSample } from './read-load.ts';

/** Latency of the reads sent in a window, against a limit. */
export interface LatencySummary {
  readonly reads: number;
  /** Reads that answered 200 within `limitMs`. */
  readonly withinLimit: number;
  readonly share: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** Reads answered other than 200 (or not at all). */
  readonly errors: number;
  /** Reads that carried at least one fallback or unavailable value. */
  readonly degraded: number;
}

/** Summarises the reads sent in [from, to) (ms since the drill's start). */
export function summarizeLatency(
  samples: readonly ReadSample[],
  limitMs: number,
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): LatencySummary {
  const inWindow = samples.filter((s) => s.sentAt >= from && s.sentAt < to);
  const ms = inWindow.map((s) => s.latencyMs);
  const within = inWindow.filter((s) => s.status === 200 && s.latencyMs <= limitMs).length;
  return {
    reads: inWindow.length,
    withinLimit: within,
    share: inWindow.length === 0 ? null : within / inWindow.length,
    p50Ms: percentile(ms, 0.5),
    p99Ms: percentile(ms, 0.99),
    maxMs: ms.length === 0 ? null : Math.max(...ms),
    errors: inWindow.filter((s) => s.status !== 200).length,
    degraded: inWindow.filter((s) => s.degraded).length,
  };
}

/**
 * Values read from the store that went backwards: per server and entity, in the order the reads were sent, a
 * `seq` served from the store below one that server served earlier for that entity. (Fallback values are not
 * counted: last-known-good is older by design and flagged.)
 */
export function findRegressions(samples: readonly ReadSample[]): ReadSample[] {
  const newest = new Map<string, number>();
  const out: ReadSample[] = [];
  for (const s of [...samples].sort((a, b) => a.sentAt - b.sentAt)) {
    if (s.status !== 200 || s.source !== 'store' || s.seq === null) continue;
    const k = `${s.server}\u0000${s.user}`;
    const seen = newest.get(k);
    if (seen !== undefined && s.seq < seen) out.push(s);
    else newest.set(k, s.seq);
  }
  return out;
}

/** Events the store does not hold: per entity, how far its stored `seq` is below the last one Kafka acknowledged. */
export function lostEvents(
  lastProduced: ReadonlyMap<number, number>,
  stored: ReadonlyMap<number, number | null>,
): { readonly entities: number; readonly events: number } {
  let entities = 0;
  let events = 0;
  for (const [user, seq] of lastProduced) {
    const have = stored.get(user) ?? 0;
    if (have < seq) {
      entities += 1;
      events += seq - have;
    }
  }
  return { entities, events };
}

/** The longest stretch of consecutive degraded reads, from the first degraded send to the last, ms. */
export function degradedSpanMs(samples: readonly ReadSample[], from: number, to: number): number | null {
  const d = samples.filter((s) => s.degraded && s.sentAt >= from && s.sentAt < to).map((s) => s.sentAt);
  return d.length === 0 ? null : Math.max(...d) - Math.min(...d);
}
