import { decodeEntityKey, type EntityKey, type FeatureView, StoreError, throwIfAborted } from '@granary/core';
import { masters, type RedisClient } from './connection.js';
import type { Deadlines } from './deadline.js';
import type { RedisKeyLayout } from './key-layout.js';

/** What {@link scanKeys} needs. */
export interface ScanContext {
  readonly client: RedisClient;
  readonly layout: RedisKeyLayout;
  readonly deadlines: Deadlines;
  /** The store's name, for errors. */
  readonly store: string;
  /** Keys asked of the server per SCAN page. */
  readonly pageSize: number;
}

/**
 * Yields the entity keys of a view's rows: SCAN MATCH on the view's key pattern, on every master of a
 * cluster. Like SCAN itself, a key may be yielded twice, and keys written or moved during the scan may be
 * missed; expired rows are not yielded (the server filters them). Each page is bounded by the store timeout.
 */
export async function* scanKeys(
  ctx: ScanContext,
  view: FeatureView,
  options: { limit?: number; signal?: AbortSignal } = {},
): AsyncGenerator<EntityKey> {
  const { client, layout } = ctx;
  if (client.isCluster && client.status !== 'ready') {
    throw new StoreError('STORE_UNAVAILABLE', `${ctx.store} scan: the cluster is not ready`, ctx.store);
  }
  const pattern = layout.viewPattern(view.name);
  let yielded = 0;
  if (options.limit !== undefined && options.limit <= 0) return;
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      throwIfAborted(options.signal);
      const [next, keys] = await ctx.deadlines.run(
        node.scan(cursor, 'MATCH', pattern, 'COUNT', ctx.pageSize),
        'scan',
        options.signal,
      );
      for (const key of keys) {
        const bytes = layout.entityKeyOf(view.name, key);
        if (!bytes) continue;
        let entityKey: EntityKey;
        try {
          entityKey = decodeEntityKey(view.entity, bytes) as EntityKey;
        } catch {
          continue; // not a key of this view's entity: skipped, like a key that does not match
        }
        yield entityKey;
        if (options.limit !== undefined && ++yielded >= options.limit) return;
      }
      cursor = next;
    } while (cursor !== '0');
  }
}
