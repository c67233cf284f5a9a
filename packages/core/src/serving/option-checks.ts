import { ValidationError } from '../errors.js';
import { ONLINE_STORE_SPEC_VERSION, type OnlineStore } from '../store/online-store.js';

/** Checks that `store` is an OnlineStore of a contract version this engine knows. */
export function checkStore(store: OnlineStore | undefined, path: string): void {
  if (store === undefined) return;
  if (typeof store !== 'object' || typeof store.read !== 'function')
    throw new ValidationError('must be an OnlineStore', path);
  if (store.specVersion !== ONLINE_STORE_SPEC_VERSION) {
    throw new ValidationError(
      `store implements OnlineStore spec version ${String(store.specVersion)}, this engine knows ${ONLINE_STORE_SPEC_VERSION}`,
      `${path}.specVersion`,
    );
  }
}

/** A non-negative (or positive) finite number of ms, or `fallback`; a ValidationError naming `path` otherwise. */
export function positive(
  value: number | undefined,
  fallback: number,
  path: string,
  allowZero = false,
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new ValidationError(`must be a ${allowZero ? 'non-negative' : 'positive'} number`, path);
  }
  return v;
}
