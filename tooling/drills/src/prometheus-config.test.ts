import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_ALERT } from './drill-options.ts';
import {
  adaptHeartbeatRule,
  HEARTBEAT_RULE_EXPR,
  prometheusYaml,
  ruleChangeMessage,
} from './prometheus-config.ts';
import { SetupError } from './setup-error.ts';

const rulesFile = resolve(import.meta.dirname, '../../../ops/prometheus/rules.yml');

describe('adaptHeartbeatRule', () => {
  it("rewrites only GranaryHeartbeatStale's threshold in the repository's rules to 2 intervals", () => {
    const rules = readFileSync(rulesFile, 'utf8');
    const adapted = adaptHeartbeatRule(rules, 2);
    expect(adapted.thresholdS).toBe(4);
    expect(adapted.rules).not.toContain(HEARTBEAT_RULE_EXPR);
    expect(adapted.rules).toContain('expr: max by (view) (granary_heartbeat_age_seconds) > 4\n');
    const before = rules.split('\n');
    const after = adapted.rules.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [i]));
    expect(changed).toHaveLength(1);
    // The changed line belongs to the heartbeat alert.
    const alertLine = before.findLastIndex((line, i) => i < changed[0]! && line.includes('- alert:'));
    expect(before[alertLine]).toContain(`alert: ${HEARTBEAT_ALERT}`);
  });

  it('scales the threshold with the interval', () => {
    expect(adaptHeartbeatRule(`x\n  ${HEARTBEAT_RULE_EXPR}\n`, 5)).toEqual({
      rules: 'x\n  expr: max by (view) (granary_heartbeat_age_seconds) > 10\n',
      thresholdS: 10,
    });
  });

  it('throws a SetupError naming the expression when the rules changed', () => {
    const rules = 'expr: max by (view) (granary_heartbeat_age_seconds) > 30\n';
    expect(() => adaptHeartbeatRule(rules, 2)).toThrow(SetupError);
    expect(() => adaptHeartbeatRule(rules, 2)).toThrow(`"${HEARTBEAT_RULE_EXPR}" not found`);
  });
});

describe('ruleChangeMessage', () => {
  it("is the line the README's run shows", () => {
    expect(ruleChangeMessage(HEARTBEAT_ALERT, 4, 2)).toBe(
      "Rules: ops/prometheus/rules.yml with GranaryHeartbeatStale's threshold changed from 20s (2 x the default 10s interval) to 4s (2 x the drill's 2s interval); every other rule unchanged.",
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
