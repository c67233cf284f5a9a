import { type Clock, systemClock } from '@granary/core';
import { getJson } from './http-json.ts';
import type { LatencyWindow } from './latency-window.ts';

/** One observation of the drill view: the server's verdict, the alert, and the load's latency. */
export interface Sample {
  /** ms since stall (negative during the baseline) */
  t: number;
  verdict: string;
  heartbeatAgeMs: number | null;
  /** inactive | pending | firing */
  alert: string;
  promHeartbeatAgeS: number | null;
  p50Ms: number | null;
  reasons: string[];
}

/** The part of the server's `/v1/freshness` report the drill reads. */
interface ViewReport {
  view: string;
  verdict: string;
  reasons: string[];
  heartbeat: { ageMs: number | null };
}

/** Options of {@link createObserver}. */
export interface ObserverOptions {
  /** The server's base URL (`/v1/freshness`). */
  readonly serverUrl: string;
  /** Prometheus's base URL (`/api/v1/alerts`, `/api/v1/query`). */
  readonly prometheusUrl: string;
  readonly view: string;
  readonly alert: string;
  /** The load's latencies; each sample carries the p50 of the last `latencyWindowMs`. */
  readonly latencies: LatencyWindow;
  readonly latencyWindowMs: number;
  /** The time samples are relative to (the stall, ms since the epoch); read at each observation. */
  readonly origin: () => number;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: `fetch` with a 2 s timeout, throwing on a non-2xx status. */
  readonly getJson?: (url: string) => Promise<unknown>;
}

/** Takes and keeps samples. */
export interface Observer {
  /**
   * Polls the server's freshness report (`ERROR` on failure), Prometheus's alerts (`unknown` on failure) and
   * its heartbeat age, records the sample and returns it.
   */
  observe(): Promise<Sample>;
  /** Every sample so far, oldest first. */
  readonly samples: readonly Sample[];
}

/** Creates an {@link Observer}. */
export function createObserver(o: ObserverOptions): Observer {
  const clock = o.clock ?? systemClock;
  const fetchJson = o.getJson ?? getJson;
  const samples: Sample[] = [];
  return {
    samples,
    async observe() {
      const now = clock.now();
      let verdict = 'ERROR';
      let heartbeatAgeMs: number | null = null;
      let reasons: string[] = [];
      try {
        const report = (await fetchJson(`${o.serverUrl}/v1/freshness`)) as { views: ViewReport[] };
        const view = report.views.find((v) => v.view === o.view);
        if (view) {
          verdict = view.verdict;
          heartbeatAgeMs = view.heartbeat.ageMs;
          reasons = view.reasons;
        }
      } catch (error) {
        reasons = [(error as Error).message];
      }
      let alert = 'inactive';
      try {
        const alerts = (await fetchJson(`${o.prometheusUrl}/api/v1/alerts`)) as {
          data: { alerts: { labels: { alertname: string; view?: string }; state: string }[] };
        };
        const active = alerts.data.alerts.find(
          (a) => a.labels.alertname === o.alert && a.labels.view === o.view,
        );
        if (active) alert = active.state;
      } catch {
        alert = 'unknown';
      }
      let promHeartbeatAgeS: number | null = null;
      try {
        const q = encodeURIComponent(`max by (view) (granary_heartbeat_age_seconds{view="${o.view}"})`);
        const res = (await fetchJson(`${o.prometheusUrl}/api/v1/query?query=${q}`)) as {
          data: { result: { value: [number, string] }[] };
        };
        const v = res.data.result[0]?.value[1];
        if (v !== undefined) promHeartbeatAgeS = Number(v);
      } catch {
        // none yet
      }
      const sample: Sample = {
        t: now - o.origin(),
        verdict,
        heartbeatAgeMs,
        alert,
        promHeartbeatAgeS,
        p50Ms: o.latencies.p50(now - o.latencyWindowMs, now),
        reasons,
      };
      samples.push(sample);
      return sample;
    },
  };
}
