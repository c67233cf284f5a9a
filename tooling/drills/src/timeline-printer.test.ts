import { describe, expect, it } from 'vitest';
import type { Sample } from './observer.ts';
import { createTimelinePrinter, formatSample } from './timeline-printer.ts';

const sample = (over: Partial<Sample>): Sample => ({
  t: 0,
  verdict: 'OK',
  heartbeatAgeMs: 2_100,
  alert: 'inactive',
  promHeartbeatAgeS: 1.6,
  p50Ms: 0.5,
  reasons: [],
  ...over,
});

describe('formatSample', () => {
  it("formats a stall line like the README's run", () => {
    expect(
      formatSample(
        sample({
          t: 5_573,
          verdict: 'AT_RISK',
          heartbeatAgeMs: 6_861,
          alert: 'firing',
          promHeartbeatAgeS: 5.6,
          p50Ms: 0.78,
        }),
      ),
    ).toBe('t  +5.6s  verdict=AT_RISK  heartbeat=  6.9s (prom   5.6s)  alert=firing   p50=0.78ms');
  });

  it('signs baseline times negative and pads two-digit seconds', () => {
    expect(formatSample(sample({ t: -20_000, heartbeatAgeMs: 3_000, p50Ms: 0.75 }))).toBe(
      't -20.0s  verdict=OK       heartbeat=  3.0s (prom   1.6s)  alert=inactive p50=0.75ms',
    );
    expect(
      formatSample(
        sample({ t: 13_177, verdict: 'BREACHED', heartbeatAgeMs: 14_465, promHeartbeatAgeS: 13.6 }),
      ),
    ).toBe('t +13.2s  verdict=BREACHED heartbeat= 14.5s (prom  13.6s)  alert=inactive p50=0.50ms');
  });

  it('shows n/a for missing values', () => {
    expect(
      formatSample(sample({ verdict: 'ERROR', heartbeatAgeMs: null, promHeartbeatAgeS: null, p50Ms: null })),
    ).toBe('t  +0.0s  verdict=ERROR    heartbeat=   n/a (prom    n/a)  alert=inactive p50=n/a');
  });
});

describe('createTimelinePrinter', () => {
  it('prints a line per change of verdict or alert, and forced lines', () => {
    const lines: string[] = [];
    const printer = createTimelinePrinter((m) => lines.push(m));
    printer.print(sample({ t: -1_000 }));
    printer.print(sample({ t: -500 }));
    printer.print(sample({ t: 0 }), true);
    printer.print(sample({ t: 500, alert: 'firing' }));
    printer.print(sample({ t: 1_000, alert: 'firing' }));
    expect(lines.map((l) => l.slice(0, 8))).toEqual(['t  -1.0s', 't  +0.0s', 't  +0.5s']);
  });

  it('adds the first reason to a changed line whose verdict is not OK, only when it changed', () => {
    const lines: string[] = [];
    const printer = createTimelinePrinter((m) => lines.push(m));
    const atRisk = sample({ verdict: 'AT_RISK', reasons: ['newest heartbeat 4326 ms old', 'second'] });
    printer.print(atRisk);
    printer.print(atRisk, true);
    printer.print(sample({ verdict: 'OK', reasons: ['ignored'] }));
    expect(lines[0]).toMatch(/p50=0\.50ms {2}\(newest heartbeat 4326 ms old\)$/);
    expect(lines[1]).toMatch(/p50=0\.50ms$/);
    expect(lines[2]).toMatch(/p50=0\.50ms$/);
  });
});
