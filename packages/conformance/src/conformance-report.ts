import type { ConformanceCapability } from './options.js';

/** One case of the suite, by group and name. */
export interface ReportedCase {
  readonly group: string;
  readonly name: string;
}

/** One case the suite did not run for an adapter, and why. */
export interface NotRunCase extends ReportedCase {
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
  readonly ran: ReportedCase[];
  /** Cases skipped, with the reason. */
  readonly notRun: NotRunCase[];
}

/** Per group: how many of its cases ran and how many did not; `run: 'none'` when none of them ran. */
export interface GroupSummary {
  readonly group: string;
  readonly ran: number;
  readonly notRun: number;
  readonly run: 'all' | 'some' | 'none';
}

/** A new, empty report. */
export function createConformanceReport(name: string, seed: number): ConformanceReport {
  return { name, seed, ran: [], notRun: [] };
}

/** The groups of a report, in the order their first case appears, with what ran of each. */
export function summarizeGroups(report: ConformanceReport): GroupSummary[] {
  const counts = new Map<string, { ran: number; notRun: number }>();
  const count = (group: string) => {
    const c = counts.get(group) ?? { ran: 0, notRun: 0 };
    counts.set(group, c);
    return c;
  };
  for (const c of report.ran) count(c.group).ran++;
  for (const c of report.notRun) count(c.group).notRun++;
  return [...counts].map(([group, { ran, notRun }]) => ({
    group,
    ran,
    notRun,
    run: notRun === 0 ? 'all' : ran === 0 ? 'none' : 'some',
  }));
}

/** The report as text: a headline, the groups that did not run in full, and each case that did not run. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = [
    `[conformance] ${report.name}: ${report.ran.length} cases ran, ${report.notRun.length} did not ` +
      `(seed ${report.seed}; replay with GRANARY_SEED=${report.seed})`,
  ];
  for (const g of summarizeGroups(report).filter((s) => s.run !== 'all')) {
    lines.push(
      `  group ${g.group}: ${g.run === 'none' ? 'not run' : `${g.notRun} of ${g.ran + g.notRun} cases not run`}`,
    );
  }
  for (const c of report.notRun) lines.push(`  not run: ${c.group}: ${c.name} (${c.reason})`);
  return lines.join('\n');
}
