import { defineEntity, type Entity } from '../registry/entity.js';
import { defineFeatureView, type FeatureView } from '../registry/feature-view.js';
import { entityKeyString } from '../store/entity-key.js';
import type { OnlineStore, WriteRow } from '../store/online-store.js';

/** Name of the reserved view holding producer heartbeats ("view V is complete up to time T"). */
export const PRODUCER_HEARTBEAT_VIEW_NAME = 'granary_producer_heartbeat';

/** A producer's name: letters, digits, `.`, `_`, `:`, `-`, at most 128 characters (it becomes a metric label). */
export const PRODUCER_NAME_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The entity of producer heartbeat rows: one per (view, producer). */
export const producerHeartbeatEntity: Entity = defineEntity({
  name: 'granary_producer',
  joinKeys: [
    { name: 'view', type: 'string' },
    { name: 'producer', type: 'string' },
  ],
  description: 'One producer (batch job, stream) feeding a feature view.',
});

/**
 * The reserved producer heartbeat view. A producer (a batch job, a streaming job, anything that writes a view)
 * reports "view V is complete up to time T"; the row's event time is T, so a late or replayed heartbeat never
 * moves it back (last-writer-wins). `reported_at` is when it was received. The engine initialises stores with
 * this view alongside the registry's.
 */
export const producerHeartbeatView: FeatureView = defineFeatureView({
  name: PRODUCER_HEARTBEAT_VIEW_NAME,
  entity: producerHeartbeatEntity,
  features: [
    {
      name: 'complete_up_to',
      type: 'int64',
      nullable: false,
      description: 'Complete up to, ms since the epoch.',
    },
    { name: 'reported_at', type: 'int64', nullable: false, description: 'When it was reported, ms.' },
  ],
  maxAge: '1h',
  retention: '30d',
  fallback: [],
  description: 'Producer heartbeats (reserved).',
});

/** One producer's latest heartbeat for one view. */
export interface ProducerHeartbeat {
  readonly view: string;
  readonly producer: string;
  /** The view is complete up to this time, ms since the epoch. */
  readonly completeUpTo: number;
  /** When the heartbeat was received, ms since the epoch. */
  readonly reportedAt: number;
}

/** The row that records `heartbeat` (event time: its `completeUpTo`). */
export function producerHeartbeatRow(heartbeat: ProducerHeartbeat): WriteRow {
  return {
    view: PRODUCER_HEARTBEAT_VIEW_NAME,
    key: { view: heartbeat.view, producer: heartbeat.producer },
    values: {
      complete_up_to: BigInt(Math.trunc(heartbeat.completeUpTo)),
      reported_at: BigInt(Math.trunc(heartbeat.reportedAt)),
    },
    eventTime: heartbeat.completeUpTo,
  };
}

/**
 * Lists the producer heartbeats in `store` (at most `limit`, default 1,000), by scanning the reserved view,
 * sorted by view then producer. Rejects when the store cannot scan or the read fails.
 */
export async function readProducerHeartbeats(
  store: OnlineStore,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<ProducerHeartbeat[]> {
  if (!store.capabilities.scan || !store.scan) {
    throw new TypeError(`store ${store.name} cannot scan: producer heartbeats cannot be listed`);
  }
  const limit = options.limit ?? 1000;
  const keys: { view: string; producer: string }[] = [];
  for await (const key of store.scan(producerHeartbeatView, { limit, signal: options.signal })) {
    keys.push({ view: String(key.view), producer: String(key.producer) });
    if (keys.length >= limit) break;
  }
  if (keys.length === 0) return [];
  const rows = await store.read(
    producerHeartbeatView,
    keys.map((k) => entityKeyString(producerHeartbeatEntity, k)),
    ['complete_up_to', 'reported_at'],
    { signal: options.signal },
  );
  const out: ProducerHeartbeat[] = [];
  rows.forEach((row, i) => {
    const done = row.complete_up_to?.value;
    const at = row.reported_at?.value;
    const key = keys[i];
    if (key && typeof done === 'bigint' && typeof at === 'bigint') {
      out.push({ ...key, completeUpTo: Number(done), reportedAt: Number(at) });
    }
  });
  return out.sort((a, b) => a.view.localeCompare(b.view) || a.producer.localeCompare(b.producer));
}
