import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillEvaluation } from './drill-evaluation.ts';
import type { FreshnessDrillOptions } from './drill-options.ts';
import type { Log } from './log.ts';
import type { Sample } from './observer.ts';

/** Prints the summary: timeline and latency as JSON, a PASS/FAIL line per check, the verdict. */
export function printSummary(log: Log, e: DrillEvaluation): void {
  log('\n== summary (times in s relative to the stall) ==');
  log(JSON.stringify({ timeline: e.timeline, latency: e.latency }, null, 2));
  for (const [name, ok] of Object.entries(e.checks)) log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}`);
  log(e.passed ? 'Expectations held.' : 'Expectations did NOT hold.');
}

/** What goes into the results file besides the evaluation. */
export interface ResultsInput {
  /** When the drill started, ms since the epoch. */
  readonly started: number;
  readonly node: string;
  readonly cores: number;
  readonly options: Pick<
    FreshnessDrillOptions,
    'heartbeatIntervalS' | 'maxAgeS' | 'sloThresholdS' | 'loadRps' | 'eventsPerSecond' | 'entities'
  >;
  readonly alertThresholdS: number;
  readonly evaluation: DrillEvaluation;
  /** Every sample (their reasons are left out of the file). */
  readonly samples: readonly Sample[];
  readonly baselineSamples: number;
  readonly stallSamples: number;
}

/** The results file's name: `freshness-drill-<start time, ISO with : and . as ->.json`. */
export function resultsFileName(started: number): string {
  return `freshness-drill-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`;
}

/** The results file's JSON document. */
export function resultsDocument(r: ResultsInput): unknown {
  const o = r.options;
  return {
    startedAt: new Date(r.started).toISOString(),
    node: r.node,
    cores: r.cores,
    parameters: {
      heartbeatIntervalS: o.heartbeatIntervalS,
      maxAgeS: o.maxAgeS,
      sloThresholdS: o.sloThresholdS,
      alertThresholdS: r.alertThresholdS,
      loadRps: o.loadRps,
      eventsPerSecond: o.eventsPerSecond,
      entities: o.entities,
    },
    checks: r.evaluation.checks,
    passed: r.evaluation.passed,
    timeline: r.evaluation.timeline,
    latency: r.evaluation.latency,
    samples: r.samples.map(({ reasons: _r, ...s }) => s),
    baselineSamples: r.baselineSamples,
    stallSamples: r.stallSamples,
  };
}

/** Writes {@link resultsDocument} into `dir` (created if needed) as {@link resultsFileName}; returns the path. */
export function writeResults(dir: string, r: ResultsInput): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, resultsFileName(r.started));
  writeFileSync(file, `${JSON.stringify(resultsDocument(r), null, 2)}\n`);
  return file;
}
