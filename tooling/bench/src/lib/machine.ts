import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The machine a benchmark ran on. */
export function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
    /** 1-minute load average when the result was written: other work on the machine skews latencies. */
    loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

/** A target and whether the run met it. */
export interface TargetResult {
  readonly name: string;
  readonly target: string;
  readonly actual: string;
  readonly met: boolean;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results');

/** Writes `tooling/bench/results/<scenario>-<timestamp>.json` and returns its path. */
export function writeResult(scenario: string, data: Record<string, unknown>): string {
  mkdirSync(resultsDir, { recursive: true });
  const date = new Date().toISOString();
  const path = join(resultsDir, `${scenario}-${date.replaceAll(':', '-').replace('.', '-')}.json`);
  writeFileSync(path, `${JSON.stringify({ scenario, date, machine: machine(), ...data }, null, 2)}\n`);
  return path;
}
