import { createManualClock, type ManualClock } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type PhaseContext,
  runBaseline,
  runRecovery,
  runStall,
  type StallOrigin,
  type StallTarget,
} from './drill-phases.ts';
import { createLatencyWindow } from './latency-window.ts';
import type { Observer, Sample } from './observer.ts';
import { createTimelinePrinter } from './timeline-printer.ts';

type State = Omit<Sample, 't' | 'p50Ms'>;

const ok: State = {
  verdict: 'OK',
  heartbeatAgeMs: 2_000,
  alert: 'inactive',
  promHeartbeatAgeS: 1.6,
  reasons: [],
};

/** A drill against a scripted pipeline: `script(t)` is what an observation at t (ms since the stall) sees. */
function harness(script: (t: number, clock: ManualClock) => State) {
  const clock = createManualClock(Date.UTC(2026, 10, 26, 10, 0, 0));
  const origin: StallOrigin = { stallAt: 0 };
  const samples: Sample[] = [];
  const observer: Observer = {
    samples,
    async observe() {
      const t = clock.now() - origin.stallAt;
      const sample = { t, p50Ms: 0.5, ...script(t, clock) };
      samples.push(sample);
      return sample;
    },
  };
  const lines: string[] = [];
  const log = (m: string) => lines.push(m);
  const ctx: PhaseContext = {
    observer,
    printer: createTimelinePrinter(log),
    latencies: createLatencyWindow(),
    origin,
    options: {
      baselineMs: 20_000,
      stallMaxMs: 45_000,
      holdAfterDetectionMs: 4_000,
      recoveryMaxMs: 45_000,
      pollMs: 500,
    },
    log,
    clock,
    sleep: async (ms) => clock.advance(ms),
  };
  const signals: string[] = [];
  const target: StallTarget = {
    pid: 4242,
    pause: () => signals.push('STOP'),
    resume: () => signals.push('CONT'),
  };
  return { clock, origin, samples, lines, ctx, signals, target };
}

/** The README's stall: the newest heartbeat 1.3 s before the stall, AT_RISK at +3 s, alert pending at +4 s, firing at +5.5 s. */
function stallScript(t: number): State {
  if (t < 0) return ok;
  const age = t + 1_300;
  const verdict = age > 14_000 ? 'BREACHED' : age > 4_000 ? 'AT_RISK' : 'OK';
  const alert = t >= 5_500 ? 'firing' : t >= 4_000 ? 'pending' : 'inactive';
  return {
    verdict,
    heartbeatAgeMs: age,
    alert,
    promHeartbeatAgeS: 1.6,
    reasons: [`newest heartbeat ${age} ms old`],
  };
}

describe('runBaseline', () => {
  it('waits for OK with heartbeats, then measures baselineMs with a line at least every 5 s', async () => {
    let calls = 0;
    const h = harness(() => {
      calls += 1;
      return calls <= 2 ? { ...ok, verdict: 'ERROR', heartbeatAgeMs: null } : ok;
    });
    const start = h.clock.now();
    const result = await runBaseline(h.ctx);
    // Two failed checks at 250 ms intervals, then the OK one.
    expect(h.origin.stallAt).toBe(start + 500 + 20_000);
    expect(h.clock.now()).toBe(h.origin.stallAt);
    expect(result.baselineSamples).toHaveLength(40);
    expect(result.baselineSamples[0]?.t).toBe(-20_000);
    expect(result.baselineOk).toBe(true);
    expect(h.lines[0]).toBe('\n== baseline ==');
    expect(h.lines.slice(1).map((l) => l.slice(0, 8))).toEqual([
      't -20.0s',
      't -15.0s',
      't -10.0s',
      't  -5.0s',
    ]);
  });

  it('is not OK when the alert was pending during the baseline', async () => {
    const h = harness((t) => (t > -3_000 && t < -2_000 ? { ...ok, alert: 'pending' } : ok));
    const result = await runBaseline(h.ctx);
    expect(result.baselineOk).toBe(false);
  });

  it('gives up with a SetupError when the verdict never turns OK', async () => {
    const h = harness(() => ({ ...ok, verdict: 'AT_RISK' }));
    await expect(runBaseline(h.ctx)).rejects.toThrow(
      'baseline verdict OK with heartbeats: not ready within 40000 ms',
    );
  });
});

describe('runStall', () => {
  it('stops the target, records the first BREACHED, pending and firing, and holds 4 s after detection', async () => {
    const h = harness(stallScript);
    const stallAt = h.clock.now();
    const result = await runStall(h.ctx, h.target);
    expect(h.signals).toEqual(['STOP']);
    expect(result).toEqual({
      stallAt,
      newestHeartbeatAt: stallAt - 1_300,
      breachedAt: stallAt + 13_000,
      pendingAt: stallAt + 4_000,
      firingAt: stallAt + 5_500,
      stallP50: null,
      stallSamples: 35, // t = 0 .. 17 s every 500 ms
    });
    expect(h.clock.now()).toBe(stallAt + 17_000);
    expect(h.lines[0]).toBe('\n== stall: SIGSTOP consumer pid 4242 at 2026-11-26T10:00:00.000Z (t=0) ==');
    // One line per change: OK, AT_RISK, pending, firing, BREACHED.
    expect(h.lines.slice(1).map((l) => l.slice(0, 8))).toEqual([
      't  +0.0s',
      't  +3.0s',
      't  +4.0s',
      't  +5.5s',
      't +13.0s',
    ]);
  });

  it('gives up after stallMaxMs when the verdict never breaches', async () => {
    const h = harness((t) => ({ ...stallScript(t), verdict: 'AT_RISK' }));
    const stallAt = h.clock.now();
    const result = await runStall(h.ctx, h.target);
    expect(result.breachedAt).toBeNull();
    expect(result.firingAt).toBe(stallAt + 5_500);
    expect(h.clock.now()).toBe(stallAt + 45_000);
  });
});

describe('runRecovery', () => {
  it('resumes the target and waits for OK and a resolved alert, both held 3 s; a flap restarts the OK run', async () => {
    const h = harness((t) => {
      if (t < 1_500) return { ...ok, verdict: 'BREACHED', alert: 'firing' };
      if (t < 2_000) return { ...ok, alert: 'firing' };
      if (t === 3_000) return { ...ok, verdict: 'AT_RISK' };
      return ok;
    });
    const stallAt = h.clock.now();
    h.origin.stallAt = stallAt;
    const result = await runRecovery(h.ctx, h.target, stallAt);
    expect(h.signals).toEqual(['CONT']);
    expect(result).toEqual({
      resumedAt: stallAt,
      okAt: stallAt + 3_500,
      resolvedAt: stallAt + 2_000,
      recoveryP50: null,
    });
    expect(h.clock.now()).toBe(stallAt + 6_500);
    expect(h.lines[0]).toBe('\n== resume: SIGCONT consumer at t+0.0s ==');
    // Changes at 0, 1.5, 2, 3, 3.5 s, then the last sample again.
    expect(h.lines.slice(1).map((l) => l.slice(0, 8))).toEqual([
      't  +0.0s',
      't  +1.5s',
      't  +2.0s',
      't  +3.0s',
      't  +3.5s',
      't  +6.5s',
    ]);
  });

  it('reports no recovery when the alert keeps firing', async () => {
    const h = harness(() => ({ ...ok, alert: 'firing' }));
    const result = await runRecovery(h.ctx, h.target, h.clock.now());
    expect(result.okAt).not.toBeNull();
    expect(result.resolvedAt).toBeNull();
  });
});
