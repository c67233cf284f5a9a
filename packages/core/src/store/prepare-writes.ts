import { StoreError, ValidationError } from '../errors.js';
import type { FeatureView } from '../registry/feature-view.js';
import { coerceValue, type FeatureValue } from '../registry/value-types.js';
import { type EntityKeyString, encodeEntityKey, entityKeyToString } from './entity-key.js';
import type { WriteRow } from './online-store.js';
import { encodeValue } from './value-codec.js';

/** One feature of a prepared write: encoded value and event time. */
export interface PreparedFeature {
  readonly name: string;
  readonly value: FeatureValue;
  readonly bytes: Uint8Array;
  readonly eventTime: number;
  /** Whether the event time came from the row's `eventTimes` (else from its `eventTime`), for error paths. */
  readonly ownEventTime: boolean;
}

/** A write row after validation and encoding; what adapters actually store. */
export interface PreparedRow {
  /** The row's position in the batch (errors name `rows[index]...`). */
  readonly index: number;
  readonly view: FeatureView;
  /** Canonical entity key bytes. */
  readonly key: Uint8Array;
  /** The same key as a string (`entityKeyToString(key)`), the form reads take. */
  readonly keyString: EntityKeyString;
  readonly features: readonly PreparedFeature[];
}

/** Finds the view a row names; throws a ValidationError (UNKNOWN_VIEW) for a view `init` did not declare. */
export interface ViewLookup {
  get(name: string): FeatureView;
}

/**
 * Validates and encodes a whole batch before anything is written, so a bad row never leaves a batch half
 * applied: unknown views or features, missing join keys, wrong types, non-finite event times (ValidationError
 * naming `rows[i]...`) and values above `maxValueBytes` (StoreError VALUE_TOO_LARGE naming view and feature).
 * Rows for the same key are kept separate: the store's last-writer-wins rule resolves them.
 */
export function prepareWrites(
  catalog: ViewLookup,
  rows: readonly WriteRow[],
  limits: { maxValueBytes: number; store: string },
): PreparedRow[] {
  return rows.map((row, i) => {
    const path = `rows[${i}]`;
    const view = catalog.get(row.view);
    if (!Number.isFinite(row.eventTime))
      throw new ValidationError('eventTime must be a finite number of ms', `${path}.eventTime`);
    const key = encodeEntityKey(view.entity, row.key);
    const features = Object.entries(row.values).map(([name, raw]): PreparedFeature => {
      const feature = view.featuresByName.get(name);
      const fpath = `${path}.values.${name}`;
      if (!feature)
        throw new ValidationError(`unknown feature ${view.name}:${name}`, fpath, { code: 'UNKNOWN_FEATURE' });
      const coerced = coerceValue(feature.type, raw);
      if (coerced.error !== undefined)
        throw new ValidationError(`${view.name}:${name}: ${coerced.error}`, fpath);
      if (coerced.value === null && !feature.nullable) {
        throw new ValidationError(`${view.name}:${name} is not nullable`, fpath);
      }
      const own = row.eventTimes?.[name];
      const eventTime = own ?? row.eventTime;
      if (!Number.isFinite(eventTime))
        throw new ValidationError('event time must be finite', `${path}.eventTimes.${name}`);
      const bytes = encodeValue(feature.type, coerced.value);
      if (bytes.length > limits.maxValueBytes) {
        throw new StoreError(
          'VALUE_TOO_LARGE',
          `${view.name}:${name} encodes to ${bytes.length} bytes, above the ${limits.store} store's limit of ${limits.maxValueBytes}`,
          limits.store,
          { details: { path: fpath, view: view.name, feature: name } },
        );
      }
      return { name, value: coerced.value, bytes, eventTime, ownEventTime: own !== undefined };
    });
    return { index: i, view, key, keyString: entityKeyToString(key), features };
  });
}
