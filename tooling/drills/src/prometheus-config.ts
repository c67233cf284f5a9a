import { SetupError } from './setup-error.ts';

/** `GranaryHeartbeatStale`'s expression as ops/prometheus/rules.yml has it: 2 x the default 10 s interval. */
export const HEARTBEAT_RULE_EXPR = 'expr: max by (view) (granary_heartbeat_age_seconds) > 20';

/** The repository's rules with the heartbeat alert's threshold adapted to the drill's interval. */
export interface AdaptedRules {
  readonly rules: string;
  /** The new threshold: 2 heartbeat intervals, s. */
  readonly thresholdS: number;
}

/**
 * Rewrites `GranaryHeartbeatStale`'s hard-coded `> 20` to `> 2 x heartbeatIntervalS`, leaving every other rule
 * unchanged. Throws a {@link SetupError} when the rules no longer contain the expected expression.
 */
export function adaptHeartbeatRule(rules: string, heartbeatIntervalS: number): AdaptedRules {
  if (!rules.includes(HEARTBEAT_RULE_EXPR)) {
    throw new SetupError(`ops/prometheus/rules.yml: "${HEARTBEAT_RULE_EXPR}" not found`);
  }
  const thresholdS = 2 * heartbeatIntervalS;
  return {
    rules: rules.replace(
      HEARTBEAT_RULE_EXPR,
      `expr: max by (view) (granary_heartbeat_age_seconds) > ${thresholdS}`,
    ),
    thresholdS,
  };
}

/** The line the drill prints about the rule change. */
export function ruleChangeMessage(alert: string, thresholdS: number, heartbeatIntervalS: number): string {
  return `Rules: ops/prometheus/rules.yml with ${alert}'s threshold changed from 20s (2 x the default 10s interval) to ${thresholdS}s (2 x the drill's ${heartbeatIntervalS}s interval); every other rule unchanged.`;
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
