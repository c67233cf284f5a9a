import type { ChildProcess } from 'node:child_process';
import { type Clock, sleep, systemClock } from '@granary/core';
import { SetupError } from './setup-error.ts';

/** Resolves after `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this, ms. */
  readonly timeoutMs: number;
  /** The process that should become ready: once it has exited the wait stops at once. Default: none. */
  readonly proc?: Pick<ChildProcess, 'exitCode'>;
  /** Pause between attempts, ms. Default: 250. */
  readonly intervalMs?: number;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: a real timer (@granary/core's `sleep`). */
  readonly sleep?: Sleep;
}

/**
 * Calls `check` until it resolves `true`; a check that throws counts as "not yet". Throws a {@link SetupError}
 * naming `what` when the time is up or `proc` has exited.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, options: WaitForOptions) {
  const clock = options.clock ?? systemClock;
  const pause = options.sleep ?? sleep;
  const deadline = clock.now() + options.timeoutMs;
  while (clock.now() < deadline) {
    const exitCode = options.proc?.exitCode;
    if (exitCode !== undefined && exitCode !== null) {
      throw new SetupError(`${what}: process exited with ${exitCode}`);
    }
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await pause(options.intervalMs ?? 250);
  }
  throw new SetupError(`${what}: not ready within ${options.timeoutMs} ms`);
}
