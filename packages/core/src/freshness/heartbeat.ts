import { defineEntity, type Entity } from '../registry/entity.js';
import { defineFeatureView, type FeatureView } from '../registry/feature-view.js';
import type { WriteRow } from '../store/online-store.js';

/** Name of the reserved view holding pipeline heartbeats. */
export const HEARTBEAT_VIEW_NAME = 'granary_heartbeat';

/** The entity of heartbeat rows: one per (view, partition) of a pipeline. */
export const heartbeatEntity: Entity = defineEntity({
  name: 'granary_pipeline',
  joinKeys: [
    { name: 'view', type: 'string' },
    { name: 'partition', type: 'int64' },
  ],
  description: 'One pipeline partition feeding a feature view.',
});

/**
 * The reserved heartbeat view. Each pipeline writes, per partition of each view it feeds and every
 * `heartbeatInterval`, a row whose `emitted_at` (int64, ms) and event time are the emission time. The row
 * travels the whole pipeline (topic, consumer, store), so the serving engine's probe measures end-to-end
 * lag even when no user traffic flows. The engine initialises stores with this view alongside the registry's.
 */
export const heartbeatView: FeatureView = defineFeatureView({
  name: HEARTBEAT_VIEW_NAME,
  entity: heartbeatEntity,
  features: [
    { name: 'emitted_at', type: 'int64', nullable: false, description: 'Emission time, ms since the epoch.' },
  ],
  maxAge: '1h',
  retention: '7d',
  fallback: [],
  description: 'Pipeline heartbeats (reserved).',
});

/**
 * The heartbeat row of one partition of `viewName`, emitted at `emittedAt` (ms since the epoch; also the
 * row's event time). Pipelines write it every `heartbeatInterval` of the view, for partitions 0..N-1.
 */
export function heartbeatRow(viewName: string, partition: number | bigint, emittedAt: number): WriteRow {
  return {
    view: HEARTBEAT_VIEW_NAME,
    key: { view: viewName, partition: BigInt(partition) },
    values: { emitted_at: BigInt(Math.trunc(emittedAt)) },
    eventTime: emittedAt,
  };
}

/** The number of pipeline partitions of a view: `view.source.partitions` when a positive integer, else 1. */
export function heartbeatPartitions(view: FeatureView): number {
  const p = view.source.partitions;
  return typeof p === 'number' && Number.isSafeInteger(p) && p > 0 ? p : 1;
}
