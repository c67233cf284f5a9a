import { type FeatureView, ValidationError } from '@granary/core';

/** Cassandra's largest TTL: 20 years, in seconds. */
export const MAX_TTL_SECONDS = 630_720_000;

/**
 * The TTL, in whole seconds, of every cell of `view`: its retention rounded up, plus one second. Cassandra
 * counts a TTL from the coordinator's current second (`floor(now)`), so without the extra second a value
 * written late in a second could expire up to a second before its retention. Values therefore stay readable
 * for at least the retention and vanish at most 2 s after it.
 */
export function retentionTtlSeconds(view: FeatureView): number {
  return Math.ceil(view.retentionMs / 1000) + 1;
}

/** Rejects views whose retention Cassandra cannot express as a TTL; `path` names the view in the error. */
export function checkRetention(view: FeatureView, path: string): void {
  const ttl = retentionTtlSeconds(view);
  if (!Number.isFinite(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw new ValidationError(
      `retention of view ${view.name} (${view.retentionMs} ms) is outside what a Cassandra TTL can hold (at most 20 years)`,
      path,
    );
  }
}
