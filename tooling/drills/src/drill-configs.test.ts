import { parseRegistry } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { consumerYaml, registryYaml, serverYaml } from './drill-configs.ts';
import { DRILL_VIEW } from './drill-options.ts';

describe('registryYaml', () => {
  it('is a valid registry with the drill view and its freshness parameters', () => {
    const text = registryYaml({
      view: DRILL_VIEW,
      topic: 'drill-abc',
      maxAgeS: 10,
      heartbeatIntervalS: 2,
      sloThresholdS: 60,
    });
    expect(text).toContain('    maxAge: 10s\n');
    expect(text).toContain('    heartbeatInterval: 2s\n');
    expect(text).toContain('    freshnessSlo: { target: 0.99, threshold: 60s }\n');
    expect(text).toContain('    source: { topic: drill-abc, partitions: 1 }\n');
    const view = parseRegistry(text, { file: 'registry.yaml' }).getView(DRILL_VIEW);
    expect(view.maxAgeMs).toBe(10_000);
    expect(view.heartbeatIntervalMs).toBe(2_000);
    expect(view.freshnessSlo).toEqual({ target: 0.99, thresholdMs: 60_000 });
    expect(view.source).toEqual({ topic: 'drill-abc', partitions: 1 });
    expect(view.features.map((f) => f.name)).toEqual(['clicks', 'ctr']);
  });
});

describe('consumerYaml', () => {
  it('points the consumer at the brokers, with Redis under the key prefix and its heartbeats off', () => {
    const text = consumerYaml({
      brokers: ['127.0.0.1:19092', '127.0.0.1:19093'],
      groupId: 'granary-drill-abc',
      deadLetterTopic: 'drill-dlq-abc',
      keyPrefix: 'drill-abc:',
      port: 4321,
    });
    expect(text).toContain('  brokers: [127.0.0.1:19092, 127.0.0.1:19093]\n');
    expect(text).toContain('  groupId: granary-drill-abc\n');
    expect(text).toContain('  deadLetterTopic: drill-dlq-abc\n');
    expect(text).toContain('store:\n  type: redis\n  redis: { keyPrefix: "drill-abc:" }\n');
    expect(text).toContain('heartbeat: { enabled: false }');
    expect(text).toContain('http: { host: 127.0.0.1, port: 4321 }\n');
  });
});

describe('serverYaml', () => {
  it('reads Redis under the same key prefix, on loopback, without auth', () => {
    const text = serverYaml({ redisUrl: 'redis://127.0.0.1:16379', keyPrefix: 'drill-abc:', port: 5555 });
    expect(text).toBe(
      [
        'registry: { path: ./registry.yaml }',
        'store:',
        '  type: redis',
        '  redis: { url: "redis://127.0.0.1:16379", keyPrefix: "drill-abc:" }',
        'server: { host: 127.0.0.1, port: 5555 }',
        'log: { level: warn }',
        'auth: { mode: none }',
        '',
      ].join('\n'),
    );
  });
});
