/**
 * Counts the writes through the engine. A read only fills the negative and near caches when no write
 * happened while it was in flight (the count is the same before and after), so a read racing a write never
 * caches the pre-write state.
 */
export interface WriteEpoch {
  value: number;
}
