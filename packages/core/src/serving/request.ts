import type { EntityKey } from '../registry/entity.js';

/** The argument of `get`. */
export interface GetFeaturesRequest {
  /** Feature references `view:feature`; several views may be mixed. Duplicates are served once. */
  features: readonly string[];
  /**
   * One record per entity, holding the join keys of every requested view's entity
   * (e.g. `{ user_id: 7, item_id: 'sku-1' }` for a request mixing user and item views).
   */
  entities: readonly EntityKey[];
  /** Deadline of this request in ms. Default: the engine's `deadlineMs` (100 ms). */
  deadlineMs?: number;
  /** Consistency watermark, ms since the epoch: values with an older event time are BEHIND. Default: none. */
  minEventTime?: number;
  /** Request id, echoed in the response and the served log. Default: a random UUID. */
  requestId?: string;
  /** Cancels the request: `get` then rejects promptly with an AbortedError (`ABORTED`). */
  signal?: AbortSignal;
}
