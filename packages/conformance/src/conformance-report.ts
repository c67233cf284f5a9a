import type { ConformanceCapability } from './options.js';

/** One case the suite did not run for an adapter, and why. */
export interface NotRunCase {
  readonly group: string;
  readonly name: string;
  readonly reason: string;
  /** The `without` declaration that skipped it, when one did. */
  readonly capability?: ConformanceCapability;
}

/**
 * What {@link describeOnlineStoreConformance} returns: filled while the suite runs, printed after it. Every
 * case that did not run is listed with its reason, so a green run never hides a group that was left out.
 */
export interface ConformanceReport {
  readonly name: string;
  readonly seed: number;
  /** Cases that ran (passed or failed). */
  readonly ran: string[];
  /** Cases skipped, with the reason. */
  readonly notRun: NotRunCase[];
}

/** A new, empty report. */
export function createConformanceReport(name: string, seed: number): ConformanceReport {
  return { name, seed, ran: [], notRun: [] };
}

/** The report as text: a headline and one line per case that did not run. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = [
    `[conformance] ${report.name}: ${report.ran.length} cases ran, ${report.notRun.length} did not ` +
      `(seed ${report.seed}; replay with GRANARY_SEED=${report.seed})`,
  ];
  for (const c of report.notRun) lines.push(`  not run: ${c.group}: ${c.name} (${c.reason})`);
  return lines.join('\n');
}
