import { createPrometheusRecorder } from '@granary/prometheus';
import type { Registry } from 'prom-client';

/** HTTP-level metrics of the server (route templates as labels, never raw URLs). */
export interface HttpMetrics {
  record(route: string, method: string, status: number, seconds: number): void;
}

/** Declares `granary_http_requests_total` and `granary_http_request_duration_seconds` in `registry`. */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const recorder = createPrometheusRecorder({ registry });
  const requests = recorder.counter(
    'granary_http_requests_total',
    'HTTP requests, by route template, method and status code.',
    ['route', 'method', 'status'],
  );
  const duration = recorder.histogram(
    'granary_http_request_duration_seconds',
    'HTTP request duration (until the response is sent), by route template and method.',
    ['route', 'method'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  return {
    record(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      duration.observe({ route, method }, seconds);
    },
  };
}
