import { decodeEntityKey, type EntityKey, type FeatureView, throwIfAborted } from '@granary/core';
import type { Client } from 'cassandra-driver';

/** What {@link scanKeys} needs from the store. */
export interface ScanContext {
  readonly client: Client;
  readonly query: string;
  readonly consistency: number;
  readonly readTimeoutMs: number;
  /** Runs one driver call with the store's abort handling and error mapping. */
  call<T>(operation: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T>;
}

const PAGE_SIZE = 1000;

/**
 * Lists the live keys of `view` by paging through the table's partitions in token order (a full-table scan:
 * for sampling, not for serving). Partitions whose cells have all expired are not listed.
 */
export async function* scanKeys(
  ctx: ScanContext,
  view: FeatureView,
  options: { limit?: number; signal?: AbortSignal } = {},
): AsyncGenerator<EntityKey> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  let pageState: string | undefined;
  do {
    throwIfAborted(options.signal);
    const state = pageState;
    const page = await ctx.call('scan', options.signal, () =>
      ctx.client.execute(ctx.query, [], {
        prepare: true,
        fetchSize: PAGE_SIZE,
        autoPage: false,
        consistency: ctx.consistency,
        readTimeout: ctx.readTimeoutMs,
        isIdempotent: true,
        ...(state !== undefined && { pageState: state }),
      }),
    );
    for (const row of page.rows) {
      if (seen >= limit) return;
      if (row.get('view_name') !== view.name) continue;
      seen++;
      yield decodeEntityKey(view.entity, row.get('entity_key') as Uint8Array) as EntityKey;
    }
    pageState = page.pageState ?? undefined;
  } while (pageState !== undefined && seen < limit);
}
