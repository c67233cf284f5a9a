import { type FeatureView, heartbeatRow, heartbeatView, type WriteRow } from '@granary/core';

/**
 * Where heartbeats are written: core's reserved `granary_heartbeat` view and its `heartbeatRow`, which the
 * serving engine's heartbeat probe reads to measure end-to-end pipeline freshness. Replaceable (tests, or a
 * deployment that keeps heartbeats elsewhere) through the materializer's `heartbeat` option.
 */
export interface HeartbeatBinding {
  /** The view heartbeat rows are written to; the materializer adds it to `store.init`. */
  readonly view: FeatureView;
  /** The row recording that `viewName`'s pipeline delivered a heartbeat on `partition` emitted at `emittedAt`. */
  row(viewName: string, partition: number, emittedAt: number): WriteRow;
}

/** The default {@link HeartbeatBinding}: core's `heartbeatView` and `heartbeatRow`. */
export const defaultHeartbeatBinding: HeartbeatBinding = Object.freeze({
  view: heartbeatView,
  row: heartbeatRow,
});
