import type { IBackoff, IBackoffFactory, IHalfOpenAfterBackoffContext } from 'cockatiel';
import type { Backoff } from '../time/backoff.js';
import type { Clock } from '../time/clock.js';

/**
 * A {@link Backoff} as cockatiel's half-open delay, measured on an injected {@link Clock}.
 *
 * cockatiel decides "still open?" as `Date.now() - openedAt < backoff.duration`. This backoff reports a
 * `duration` that makes that test equivalent to `clock.now() < clockAtOpen + delay`, so a manual clock in
 * tests (or any other clock) controls when the breaker half-opens. The delay of the n-th consecutive opening
 * is `backoff.delay(n)` (cockatiel's attempt number); with a constant backoff and the system clock it is
 * exactly cockatiel's constant backoff.
 */
export function createClockBackoff(
  clock: Clock,
  backoff: Backoff,
): IBackoffFactory<IHalfOpenAfterBackoffContext> {
  const make = (attempt: number): IBackoff<IHalfOpenAfterBackoffContext> => {
    const wallAtOpen = Date.now();
    const clockAtOpen = clock.now();
    const delayMs = backoff.delay(attempt);
    return {
      get duration() {
        // cockatiel stamps its own `openedAt` with Date.now() just after this backoff is made, so the wall
        // clock may already have ticked: only the sign of the remaining delay decides, never that millisecond.
        const remaining = clockAtOpen + delayMs - clock.now();
        return remaining > 0 ? Date.now() - wallAtOpen + remaining : Number.NEGATIVE_INFINITY;
      },
      next: (context) => make(context.attempt),
    };
  };
  return { next: (context) => make(context.attempt) };
}
