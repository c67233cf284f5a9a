import type { IBackoff, IBackoffFactory, IHalfOpenAfterBackoffContext } from 'cockatiel';
import type { Clock } from '../time/clock.js';

/**
 * A constant half-open delay for cockatiel's circuit breaker, measured on an injected {@link Clock}.
 *
 * cockatiel decides "still open?" as `Date.now() - openedAt < backoff.duration`. This backoff reports a
 * `duration` that makes that test equivalent to `clock.now() < clockAtOpen + delayMs`, so a manual clock in
 * tests (or any other clock) controls when the breaker half-opens. With the system clock it is exactly a
 * constant backoff of `delayMs`.
 */
export function createClockBackoff(
  clock: Clock,
  delayMs: number,
): IBackoffFactory<IHalfOpenAfterBackoffContext> {
  const make = (): IBackoff<IHalfOpenAfterBackoffContext> => {
    const wallAtOpen = Date.now();
    const clockAtOpen = clock.now();
    return {
      get duration() {
        // cockatiel stamps its own `openedAt` with Date.now() just after this backoff is made, so the wall
        // clock may already have ticked: only the sign of the remaining delay decides, never that millisecond.
        const remaining = clockAtOpen + delayMs - clock.now();
        return remaining > 0 ? Date.now() - wallAtOpen + remaining : Number.NEGATIVE_INFINITY;
      },
      next: () => make(),
    };
  };
  return { next: () => make() };
}
