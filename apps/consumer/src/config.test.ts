import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envOverrides, loadConfig, redactConfig } from './config.js';
import { envName, SETTINGS } from './config-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'granary-consumer-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadConfig', () => {
  it('applies defaults, resolves the registry next to the file, parses durations', () => {
    const c = loadConfig({
      file: file('a.yaml', 'registry: reg.yaml\nkafka:\n  brokers: [b1:9092]\n'),
      env: {},
    });
    expect(c.registry).toBe(join(dir, 'reg.yaml'));
    expect(c.kafka).toMatchObject({
      brokers: ['b1:9092'],
      groupId: 'granary-consumer',
      deadLetterTopic: 'granary-dead-letters',
      topics: undefined,
      sasl: undefined,
    });
    expect(c.consumer).toMatchObject({
      writeBatchSize: 1000,
      writeTimeoutMs: 5000,
      maxFutureSkewMs: 300_000,
      fromBeginning: true,
    });
    expect(c.store).toEqual({
      kind: 'redis',
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'granary:', timeoutMs: 2000 },
    });
    expect(c.heartbeat).toEqual({ enabled: true, intervalMs: undefined });
    expect(c.shutdownTimeoutMs).toBe(30_000);
  });

  it('lets GRANARY_* variables override the file, with __ for nesting and typed values', () => {
    const c = loadConfig({
      file: file(
        'b.yaml',
        'registry: reg.yaml\nkafka: { brokers: [x:1], topics: [t1] }\nconsumer: { writeBatchSize: 10 }\n',
      ),
      env: {
        GRANARY_KAFKA__BROKERS: 'a:9092, b:9092',
        GRANARY_KAFKA__DEAD_LETTER_TOPIC: 'dlq',
        GRANARY_CONSUMER__WRITE_BATCH_SIZE: '250',
        GRANARY_CONSUMER__FROM_BEGINNING: 'false',
        GRANARY_CONSUMER__WRITE_TIMEOUT: '750ms',
        GRANARY_STORE__REDIS__URL: 'redis://:secret@r:6379',
        GRANARY_KAFKA_BROKERS: 'ignored:1', // one underscore: a test-infrastructure variable, not a setting
      },
    });
    expect(c.kafka.brokers).toEqual(['a:9092', 'b:9092']);
    expect(c.kafka.topics).toEqual(['t1']);
    expect(c.kafka.deadLetterTopic).toBe('dlq');
    expect(c.consumer).toMatchObject({ writeBatchSize: 250, fromBeginning: false, writeTimeoutMs: 750 });
    expect(c.store.redis.url).toBe('redis://:secret@r:6379');
    expect(JSON.stringify(redactConfig(c))).not.toContain('secret');
  });

  it('works from the environment alone', () => {
    const c = loadConfig({
      env: { GRANARY_REGISTRY: 'r.yaml', GRANARY_KAFKA__BROKERS: 'k:1', GRANARY_STORE__KIND: 'memory' },
    });
    expect(c.store.kind).toBe('memory');
  });

  it('reads the SASL password from the environment or a file, never from the config file', () => {
    const base =
      'registry: r.yaml\nkafka:\n  brokers: [k:1]\n  sasl: { mechanism: scram-sha-512, username: u';
    expect(
      loadConfig({ file: file('s1.yaml', `${base} }\n`), env: { GRANARY_KAFKA__SASL__PASSWORD: 'pw' } }).kafka
        .sasl,
    ).toEqual({
      mechanism: 'scram-sha-512',
      username: 'u',
      password: 'pw',
    });
    file('pw.txt', 'from-file\n');
    expect(
      loadConfig({ file: file('s2.yaml', `${base}, passwordFile: pw.txt }\n`), env: {} }).kafka.sasl
        ?.password,
    ).toBe('from-file');
    expect(() => loadConfig({ file: file('s3.yaml', `${base}, password: pw }\n`), env: {} })).toThrow(
      /s3\.yaml: kafka\.sasl\.password: secrets do not belong in a file: set GRANARY_KAFKA__SASL__PASSWORD/,
    );
    expect(() => loadConfig({ file: file('s4.yaml', `${base} }\n`), env: {} })).toThrow(
      /kafka\.sasl\.password: is required/,
    );
  });

  it.each([
    [
      'unknown key',
      'registry: r\nkafka: { brokers: [k], brokerz: 1 }\n',
      /c\.yaml: kafka\.brokerz: unknown setting/,
    ],
    [
      'wrong type',
      'registry: r\nkafka: { brokers: [k] }\nconsumer: { writeBatchSize: "x" }\n',
      /consumer\.writeBatchSize: must be a non-negative integer/,
    ],
    [
      'zero batch',
      'registry: r\nkafka: { brokers: [k] }\nconsumer: { writeBatchSize: 0 }\n',
      /consumer\.writeBatchSize: must be at least 1/,
    ],
    [
      'bad duration',
      'registry: r\nkafka: { brokers: [k] }\nconsumer: { writeTimeout: soon }\n',
      /consumer\.writeTimeout: invalid duration "soon"/,
    ],
    [
      'bad enum',
      'registry: r\nkafka: { brokers: [k] }\nstore: { kind: mongo }\n',
      /store\.kind: must be one of redis, memory/,
    ],
    [
      'missing brokers',
      'registry: r\n',
      /kafka\.brokers: is required \(in the config file, or GRANARY_KAFKA__BROKERS\)/,
    ],
    [
      'password in a URL',
      'registry: r\nkafka: { brokers: [k] }\nstore: { redis: { url: "redis://u:p@h:1" } }\n',
      /store\.redis\.url: a URL with a password/,
    ],
    ['not a mapping', '- a\n', /the root must be a mapping/],
    ['bad YAML', 'a: [\n', /not valid YAML/],
  ])('names the file, the setting and the problem: %s', (_, text, message) => {
    expect(() => loadConfig({ file: file('c.yaml', text), env: {} })).toThrow(message);
  });

  it('names the variable when an environment value is wrong', () => {
    expect(() =>
      loadConfig({
        file: file('d.yaml', 'registry: r\nkafka: { brokers: [k] }\n'),
        env: { GRANARY_HTTP__PORT: 'eighty' },
      }),
    ).toThrow(/environment GRANARY_HTTP__PORT: http\.port: must be an integer/);
  });

  it('maps every setting to exactly one variable', () => {
    expect(envName('kafka.deadLetterTopic')).toBe('GRANARY_KAFKA__DEAD_LETTER_TOPIC');
    for (const s of SETTINGS) expect([...envOverrides({ [envName(s.path)]: 'x' }).keys()]).toEqual([s.path]);
  });
});
