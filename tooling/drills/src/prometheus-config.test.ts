import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_ALERT } from './drill-options.ts';
import {
  HEARTBEAT_INTERVAL_METRIC,
  heartbeatThreshold,
  prometheusYaml,
  rulesMessage,
} from './prometheus-config.ts';
import { SetupError } from './setup-error.ts';

const rulesFile = resolve(import.meta.dirname, '../../../ops/prometheus/rules.yml');

describe('heartbeatThreshold', () => {
  it("accepts the repository's rules as they are: the alert reads 2 x the exported interval", () => {
    const rules = readFileSync(rulesFile, 'utf8');
    expect(heartbeatThreshold(rules, HEARTBEAT_ALERT, 2)).toBe(4);
    expect(heartbeatThreshold(rules, HEARTBEAT_ALERT, 5)).toBe(10);
  });

  it('throws a SetupError when the alert went back to a fixed threshold or is missing', () => {
    const fixed = `  - alert: ${HEARTBEAT_ALERT}\n    expr: max by (view) (granary_heartbeat_age_seconds) > 20\n  - alert: Other\n    expr: 2 * max by (view) (${HEARTBEAT_INTERVAL_METRIC})\n`;
    expect(() => heartbeatThreshold(fixed, HEARTBEAT_ALERT, 2)).toThrow(SetupError);
    expect(() => heartbeatThreshold(fixed, HEARTBEAT_ALERT, 2)).toThrow(/does not compare with 2 x/);
    expect(() => heartbeatThreshold('', HEARTBEAT_ALERT, 2)).toThrow(SetupError);
  });
});

describe('rulesMessage', () => {
  it('names the alert and the threshold for the drill', () => {
    expect(rulesMessage(HEARTBEAT_ALERT, 4, 2)).toBe(
      "Rules: ops/prometheus/rules.yml unchanged; GranaryHeartbeatStale fires above 2 x the exported heartbeat interval (4s for the drill's 2s).",
    );
  });
});

describe('prometheusYaml', () => {
  it('scrapes and evaluates every second, loads rules.yml and targets the server on loopback', () => {
    const yaml = prometheusYaml(36807);
    expect(yaml).toContain('scrape_interval: 1s, evaluation_interval: 1s');
    expect(yaml).toContain('rule_files: [rules.yml]');
    expect(yaml).toContain('targets: ["127.0.0.1:36807"]');
    expect(yaml.endsWith('\n')).toBe(true);
  });
});
