import { describe, expect, it } from 'vitest';
import { ms, pct, renderTable } from './scale-out-table.ts';

describe('the scale-out table', () => {
  it('aligns every column and marks verdicts', () => {
    const text = renderTable([
      { step: 'baseline', atS: 0, happened: '2 servers', measured: '100.00 % <= 55 ms', pass: true },
      { step: 'SIGKILL consumer-1', atS: 10.25, happened: 'rebalanced', measured: 'x', pass: false },
      { step: 'totals', atS: null, happened: '', measured: 'y', pass: null },
    ]);
    const lines = text.split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^\| step +\| t \(s\) \| what happened \| measured +\| verdict \|$/);
    expect(lines[2]).toContain('| 0.0 ');
    expect(lines[3]).toContain('| 10.3 ');
    expect(lines[3]).toContain('FAIL');
    expect(lines[4]).toMatch(/\| totals +\| +\|/);
  });

  it('formats figures', () => {
    expect(ms(null)).toBe('n/a');
    expect(ms(3.24)).toBe('3.2 ms');
    expect(pct(0.99951)).toBe('99.95 %');
  });
});
