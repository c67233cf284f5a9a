import { SetupError } from './setup-error.ts';

/** What `GranaryHeartbeatStale` compares the heartbeat age with: 2 x the interval the engine exports. */
export const HEARTBEAT_INTERVAL_METRIC = 'granary_heartbeat_interval_seconds';

/**
 * Checks that the repository's rules still take the heartbeat alert's threshold from the exported interval (so
 * the drill's 2 s heartbeats need no edited copy) and returns the threshold for `heartbeatIntervalS`. Throws a
 * {@link SetupError} when the rule no longer reads the interval.
 */
export function heartbeatThreshold(rules: string, alert: string, heartbeatIntervalS: number): number {
  const start = rules.indexOf(`- alert: ${alert}`);
  const next = rules.indexOf('- alert:', start + 1);
  const rule = start < 0 ? '' : rules.slice(start, next < 0 ? undefined : next);
  if (!rule.includes(`2 * max by (view) (${HEARTBEAT_INTERVAL_METRIC})`)) {
    throw new SetupError(
      `ops/prometheus/rules.yml: ${alert} does not compare with 2 x ${HEARTBEAT_INTERVAL_METRIC} any more`,
    );
  }
  return 2 * heartbeatIntervalS;
}

/** The line the drill prints about the rules. */
export function rulesMessage(alert: string, thresholdS: number, heartbeatIntervalS: number): string {
  return `Rules: ops/prometheus/rules.yml unchanged; ${alert} fires above 2 x the exported heartbeat interval (${thresholdS}s for the drill's ${heartbeatIntervalS}s).`;
}

/** prometheus.yml: scrape and evaluate every 1 s, the drill's rules, the server's `/metrics` on loopback. */
export function prometheusYaml(serverPort: number): string {
  return [
    'global: { scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 900ms }',
    'rule_files: [rules.yml]',
    'scrape_configs:',
    '  - job_name: granary-server',
    `    static_configs: [{ targets: ["127.0.0.1:${serverPort}"] }]`,
    '',
  ].join('\n');
}
