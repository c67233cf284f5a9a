import type { ResponseTallySummary } from '../lib/response-tally.ts';
import type { StoreFaultResult } from './store-under-faults.ts';

const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

function row(
  name: string,
  s: ResponseTallySummary,
  wrong: number,
  closed: string,
  extra: string[],
): string[] {
  return [
    name,
    String(s.requests),
    `${s.withinDeadlinePlusSlackPct}`,
    `${s.serviceLatency.p99Ms}`,
    `${s.degradedPct}`,
    counts(s.reasons),
    String(s.thrown),
    String(wrong),
    closed,
    ...extra,
  ];
}

/** Prints one store's table: a row for the baseline and per fault (figures while the fault lasted). */
export function printFaultTable(result: StoreFaultResult, log: (line: string) => void): void {
  const { settings } = result;
  const header = [
    'phase',
    'requests',
    `% <= ${settings.deadlineMs}+${settings.slackMs} ms`,
    'p99 ms',
    '% degraded',
    'degraded values by reason',
    'thrown',
    'wrong',
    'circuit closed for good after (ms)',
    `load back to baseline for good after (ms, ${settings.windowMs} ms windows)`,
    'circuit at fault end / at the end',
    'loop stall max ms',
  ];
  const rows = [
    row('baseline', result.baseline, result.baseline.wrongValues, '-', [
      '-',
      '-',
      String(result.baselineLoop.eventLoopDelayMaxMs),
    ]),
    ...result.phases.map((p) =>
      row(
        p.phase,
        p.during,
        p.during.wrongValues + p.after.wrongValues,
        p.circuitClosedForGoodAfterMs === undefined ? 'never' : String(p.circuitClosedForGoodAfterMs),
        [
          p.recoveredWithinMs === undefined ? 'never' : String(p.recoveredWithinMs),
          `${p.circuitAtFaultEnd} / ${p.circuitAtEnd}`,
          String(p.loop.eventLoopDelayMaxMs),
        ],
      ),
    ),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const health = result.baselineHealthy ? 'healthy' : 'NOT HEALTHY: the figures compare to a sick store';
  log(
    `\n${result.store} (${settings.ratePerSec} req/s; writer ${result.writer.rows} rows, ${result.writer.failedBatches} failed batches; ` +
      `baseline ${health} after ${result.baselineAttempts} run(s))`,
  );
  log(line(header));
  log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) log(line(r));
  for (const p of result.phases) {
    const examples = [...p.during.wrongExamples, ...p.after.wrongExamples];
    log(
      `  ${p.phase} circuit (ms from the fault's start; it ended at ${settings.faultMs}): ${p.circuitTimeline}`,
    );
    if (examples.length > 0) log(`  ${p.phase} wrong values, e.g.: ${examples.slice(0, 3).join('; ')}`);
  }
}
