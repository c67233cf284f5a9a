export * from './freshness-report.js';
export * from './freshness-tracker.js';
export * from './heartbeat.js';
export * from './heartbeat-probe.js';
export * from './log-histogram.js';
export * from './slo-burn-rate.js';
