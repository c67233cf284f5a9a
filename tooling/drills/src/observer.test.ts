import { createManualClock } from '@granary/core/testing';
import { describe, expect, it } from 'vitest';
import { createLatencyWindow } from './latency-window.ts';
import { createObserver } from './observer.ts';

const SERVER = 'http://127.0.0.1:1';
const PROM = 'http://127.0.0.1:2';

function observerWith(answers: Record<string, unknown>) {
  const clock = createManualClock(100_000);
  const latencies = createLatencyWindow();
  const urls: string[] = [];
  const observer = createObserver({
    serverUrl: SERVER,
    prometheusUrl: PROM,
    view: 'drill_stats',
    alert: 'GranaryHeartbeatStale',
    latencies,
    latencyWindowMs: 2_000,
    origin: () => 103_000,
    clock,
    getJson: async (url) => {
      urls.push(url);
      const key = Object.keys(answers).find((prefix) => url.startsWith(prefix));
      if (key === undefined) throw new Error(`${url}: HTTP 503`);
      return answers[key];
    },
  });
  return { observer, latencies, urls };
}

const freshness = {
  views: [
    { view: 'other', verdict: 'OK', reasons: [], heartbeat: { ageMs: 1 } },
    { view: 'drill_stats', verdict: 'AT_RISK', reasons: ['old'], heartbeat: { ageMs: 4_326 } },
  ],
};
const alerts = {
  data: {
    alerts: [
      { labels: { alertname: 'GranaryHeartbeatStale', view: 'other' }, state: 'firing' },
      { labels: { alertname: 'GranaryHeartbeatStale', view: 'drill_stats' }, state: 'pending' },
    ],
  },
};
const query = { data: { result: [{ value: [1, '3.6'] }] } };

describe('createObserver', () => {
  it("reads the drill view's verdict, alert and Prometheus heartbeat age, with the window's p50", async () => {
    const { observer, latencies, urls } = observerWith({
      [`${SERVER}/v1/freshness`]: freshness,
      [`${PROM}/api/v1/alerts`]: alerts,
      [`${PROM}/api/v1/query`]: query,
    });
    latencies.record(97_000, 9); // outside the 2 s window
    latencies.record(98_500, 0.7);
    const sample = await observer.observe();
    expect(sample).toEqual({
      t: -3_000,
      verdict: 'AT_RISK',
      heartbeatAgeMs: 4_326,
      alert: 'pending',
      promHeartbeatAgeS: 3.6,
      p50Ms: 0.7,
      reasons: ['old'],
    });
    expect(observer.samples).toEqual([sample]);
    expect(urls[2]).toBe(
      `${PROM}/api/v1/query?query=${encodeURIComponent('max by (view) (granary_heartbeat_age_seconds{view="drill_stats"})')}`,
    );
  });

  it('reports ERROR with the failure, an unknown alert and no heartbeat age when nothing answers', async () => {
    const { observer } = observerWith({});
    expect(await observer.observe()).toEqual({
      t: -3_000,
      verdict: 'ERROR',
      heartbeatAgeMs: null,
      alert: 'unknown',
      promHeartbeatAgeS: null,
      p50Ms: null,
      reasons: [`${SERVER}/v1/freshness: HTTP 503`],
    });
  });

  it('reports an inactive alert and ERROR when the view or alert is absent', async () => {
    const { observer } = observerWith({
      [`${SERVER}/v1/freshness`]: { views: [] },
      [`${PROM}/api/v1/alerts`]: { data: { alerts: [] } },
      [`${PROM}/api/v1/query`]: { data: { result: [] } },
    });
    const sample = await observer.observe();
    expect(sample.verdict).toBe('ERROR');
    expect(sample.reasons).toEqual([]);
    expect(sample.alert).toBe('inactive');
    expect(sample.promHeartbeatAgeS).toBeNull();
  });
});
