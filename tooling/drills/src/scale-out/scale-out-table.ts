/** One row of the drill's table. */
export interface TableRow {
  readonly step: string;
  /** Seconds since the drill's load started, or null for a summary row. */
  readonly atS: number | null;
  readonly happened: string;
  readonly measured: string;
  /** Whether the row's expectation held (null: no expectation). */
  readonly pass: boolean | null;
}

/** The one table the drill prints: step, time, what happened, what was measured, verdict. */
export function renderTable(rows: readonly TableRow[]): string {
  const cells = [
    ['step', 't (s)', 'what happened', 'measured', 'verdict'],
    ...rows.map((r) => [
      r.step,
      r.atS === null ? '' : r.atS.toFixed(1),
      r.happened,
      r.measured,
      r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL',
    ]),
  ];
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length))) ?? [];
  const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

/** `12.3 ms` or `n/a`. */
export const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
/** `99.95 %` or `n/a`. */
export const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(2)} %`);
