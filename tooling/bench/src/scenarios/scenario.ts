import type { TargetResult } from '../lib/machine.ts';

/** What a scenario returns: its parameters, its measurements and its targets. */
export interface ScenarioResult {
  readonly params: Record<string, unknown>;
  readonly results: Record<string, unknown>;
  readonly targets: readonly TargetResult[];
}

/** A named benchmark scenario. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(): Promise<ScenarioResult>;
}

/** Engine options that turn every protection off (the baseline). */
export const PROTECTIONS_OFF = {
  coalescing: false,
  batching: false,
  negativeCache: false,
  hotKeys: false,
  nearCache: false,
  lastKnownGood: false,
  circuitBreaker: { disabled: true },
} as const;

export const fmt = (n: number, digits = 3) => Number(n.toFixed(digits));
