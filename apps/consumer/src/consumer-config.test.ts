import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, syncReadmeSettings } from '@granary/config';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSUMER_CONFIG, CONSUMER_CONFIG_SCHEMA } from './consumer-config.js';

const dir = mkdtempSync(join(tmpdir(), 'granary-consumer-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const load = (f: string, env: Record<string, string> = {}) => loadConfig(CONSUMER_CONFIG, { file: f, env });

describe('the consumer config', () => {
  it('applies defaults, resolves the registry next to the file, leaves the materializer defaults to @granary/kafka', () => {
    const { config: c, warnings } = load(
      file(
        'a.yaml',
        'registry: { path: reg.yaml }\nkafka:\n  brokers: [b1:9092]\nstore: { type: redis, redis: { url: "redis://r:1" } }\n',
      ),
    );
    expect(warnings).toEqual([]);
    expect(c.registry.path).toBe(join(dir, 'reg.yaml'));
    expect(c.kafka).toMatchObject({
      brokers: ['b1:9092'],
      groupId: 'granary-consumer',
      deadLetterTopic: 'granary-dead-letters',
      ssl: false,
      connectionTimeout: 3000,
    });
    expect(c.kafka.topics).toBeUndefined();
    expect(c.consumer).toEqual({});
    expect(c.heartbeat).toEqual({ enabled: true });
    expect(c.http).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(c.shutdownTimeout).toBe(30_000);
  });

  it('lets GRANARY_* variables override the file, typed, on every store', () => {
    const { config: c } = load(
      file(
        'b.yaml',
        'registry: { path: reg.yaml }\nkafka: { brokers: [x:1], topics: [t1] }\nconsumer: { writeBatchSize: 10 }\n',
      ),
      {
        GRANARY_KAFKA__BROKERS: 'a:9092, b:9092',
        GRANARY_KAFKA__DEAD_LETTER_TOPIC: 'dlq',
        GRANARY_CONSUMER__WRITE_BATCH_SIZE: '250',
        GRANARY_CONSUMER__FROM_BEGINNING: 'false',
        GRANARY_CONSUMER__WRITE_TIMEOUT: '750ms',
        GRANARY_STORE__TYPE: 'cassandra',
        GRANARY_STORE__CASSANDRA__CONTACT_POINTS: 'c1:9042,c2:9042',
        GRANARY_KAFKA_BROKERS: 'ignored:1', // one underscore: a test-infrastructure variable, not a setting
      },
    );
    expect(c.kafka).toMatchObject({ brokers: ['a:9092', 'b:9092'], topics: ['t1'], deadLetterTopic: 'dlq' });
    expect(c.consumer).toMatchObject({ writeBatchSize: 250, fromBeginning: false, writeTimeout: 750 });
    expect(c.store).toMatchObject({
      type: 'cassandra',
      cassandra: { contactPoints: ['c1:9042', 'c2:9042'] },
    });
  });

  it('reads the SASL password from the environment or a file, never from the config file', () => {
    const base =
      'registry: { path: r.yaml }\nstore: { type: memory }\nkafka:\n  brokers: [k:1]\n  sasl: { mechanism: scram-sha-512, username: u';
    expect(
      load(file('s1.yaml', `${base} }\n`), { GRANARY_KAFKA__SASL__PASSWORD: 'pw' }).config.kafka.sasl,
    ).toEqual({
      mechanism: 'scram-sha-512',
      username: 'u',
      password: 'pw',
    });
    file('pw.txt', 'from-file\n');
    expect(load(file('s2.yaml', `${base}, passwordFile: pw.txt }\n`)).config.kafka.sasl?.password).toBe(
      'from-file',
    );
    const inFile = file('s3.yaml', `${base}, password: pw }\n`);
    expect(() => load(inFile)).toThrow(
      `${inFile}: kafka.sasl.password: secrets do not belong in a file: set GRANARY_KAFKA__SASL__PASSWORD, or passwordFile to a file holding it (line 5)`,
    );
    expect(() => load(file('s4.yaml', `${base} }\n`))).toThrow(
      /kafka\.sasl\.password: is required with sasl \(set GRANARY_KAFKA__SASL__PASSWORD/,
    );
  });

  it.each([
    [
      'unknown key',
      'registry: { path: r }\nkafka: { brokers: [k], brokerz: 1 }\n',
      /c\.yaml: kafka\.brokerz: unknown key "brokerz"; did you mean "brokers"\?/,
    ],
    [
      'wrong type',
      'registry: { path: r }\nkafka: { brokers: [k] }\nconsumer: { writeBatchSize: "x" }\n',
      /consumer\.writeBatchSize: must be an integer >= 1, got string "x" \(line 3\)/,
    ],
    [
      'zero batch',
      'registry: { path: r }\nkafka: { brokers: [k] }\nconsumer: { writeBatchSize: 0 }\n',
      /consumer\.writeBatchSize: must be an integer >= 1, got number 0/,
    ],
    [
      'bad duration',
      'registry: { path: r }\nkafka: { brokers: [k] }\nconsumer: { writeTimeout: soon }\n',
      /consumer\.writeTimeout: must be a duration/,
    ],
    [
      'bad store',
      'registry: { path: r }\nkafka: { brokers: [k] }\nstore: { type: mongo }\n',
      /store\.type: must be one of memory, redis, redis-cluster, dynamodb, cassandra/,
    ],
    ['missing brokers', 'registry: { path: r }\n', /kafka\.brokers: is required/],
    [
      'missing URL',
      'registry: { path: r }\nkafka: { brokers: [k] }\n',
      /store\.redis\.url: is required for store type redis/,
    ],
    [
      'password in a URL',
      'registry: { path: r }\nkafka: { brokers: [k] }\nstore: { redis: { url: "redis://u:p@h:1" } }\n',
      /store\.redis\.url: a URL with a password does not belong in a file/,
    ],
    [
      'a secondary',
      'registry: { path: r }\nkafka: { brokers: [k] }\nstore: { type: memory, secondary: { type: memory } }\n',
      /store\.secondary: the consumer uses one store: run one consumer per store/,
    ],
    ['not a mapping', '- a\n', /the root must be a mapping/],
    ['bad YAML', 'a: [\n', /invalid YAML/],
  ])('names the file, the setting and the problem: %s', (_, text, message) => {
    expect(() => load(file('c.yaml', text))).toThrow(message);
  });

  it('names the variable when an environment value is wrong', () => {
    expect(() =>
      load(file('d.yaml', 'registry: { path: r }\nkafka: { brokers: [k] }\nstore: { type: memory }\n'), {
        GRANARY_HTTP__PORT: 'eighty',
      }),
    ).toThrow(/environment GRANARY_HTTP__PORT: http\.port: must be an integer from 0 to 65535/);
  });

  it('accepts the old store.kind and registry: <file> with a warning', () => {
    const { config, warnings } = load(
      file('old.yaml', 'registry: reg.yaml\nkafka: { brokers: [k] }\nstore: { kind: memory }\n'),
    );
    expect(config.store.type).toBe('memory');
    expect(config.registry.path).toBe(join(dir, 'reg.yaml'));
    expect(warnings).toEqual([
      'registry is deprecated: use registry.path (the old key still works for now)',
      'store.kind is deprecated: use store.type (the old key still works for now)',
    ]);
    expect(
      loadConfig(CONSUMER_CONFIG, {
        env: { GRANARY_REGISTRY: 'r.yaml', GRANARY_KAFKA__BROKERS: 'k:1', GRANARY_STORE__KIND: 'memory' },
        cwd: '/srv',
      }).config,
    ).toMatchObject({ registry: { path: '/srv/r.yaml' }, store: { type: 'memory' } });
  });

  it("README's settings table is the schema's (GRANARY_UPDATE_README=1 rewrites it)", () => {
    const write = process.env.GRANARY_UPDATE_README === '1';
    const { actual, expected } = syncReadmeSettings(
      new URL('../README.md', import.meta.url),
      CONSUMER_CONFIG_SCHEMA,
      { write },
    );
    expect(actual).toBe(expected);
  });
});
