import { compareBytes } from './value-codec.js';

/** A stored version of one feature: its event time and its encoded value. */
export interface VersionedBytes {
  readonly eventTime: number;
  readonly bytes: Uint8Array;
}

/**
 * Granary's one last-writer-wins rule, shared by every adapter: the newer event time wins; on equal event
 * times the greater encoded value (unsigned lexicographic bytes) wins; equal bytes are the same value.
 * Returns a positive number when `incoming` must replace `stored`, zero or negative when it must not.
 *
 * The rule depends only on the two versions, never on arrival order, so concurrent writers converge.
 * (Cassandra reconciles equal write timestamps the same way, which is why this tie rule was chosen.)
 */
export function compareVersions(incoming: VersionedBytes, stored: VersionedBytes | undefined): number {
  if (stored === undefined) return 1;
  if (incoming.eventTime !== stored.eventTime) return incoming.eventTime > stored.eventTime ? 1 : -1;
  return compareBytes(incoming.bytes, stored.bytes);
}
