/** A source of time. Everything time-based in Granary takes one, so tests can control time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock (`Date.now()`). */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that only moves when told to; for tests. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the current time. */
  set(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `start` (default: 2026-01-01T00:00:00Z). */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
    set(ms: number) {
      current = ms;
    },
  };
}

/** Converts milliseconds since the epoch to ISO-8601 with `Z`, the wire format. */
export function toIsoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses an ISO-8601 timestamp (or milliseconds) into milliseconds since the epoch; NaN when invalid. */
export function parseTime(value: string | number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return Number.NaN;
  return Date.parse(value);
}
