import { randomBytes } from 'node:crypto';
import { serviceEndpoints } from '@granary/services';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromObject } from '../src/config/load-config.js';
import { createGranaryServer } from '../src/granary-server.js';
import { logCapture, post, TEST_REGISTRY } from './helpers/test-server.js';

// servedLog.sink.type kafka: the Kafka sink of @granary/kafka, created from the config, against real Kafka.
const topic = `granary-served-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const brokers = [...serviceEndpoints().kafka.brokers];
const kafka = new Kafka({ clientId: 'served-log-test', brokers, logLevel: logLevel.NOTHING });
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
});
afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
});

describe('servedLog with the Kafka sink', () => {
  it('sends what was served to the topic, one JSON record per sampled entity', async () => {
    const config = configFromObject(
      {
        registry: { inline: TEST_REGISTRY },
        auth: { mode: 'none' },
        server: { port: 0 },
        engine: { heartbeat: false },
        servedLog: { sampleRate: 1, flushInterval: '1h', sink: { type: 'kafka', kafka: { topic } } },
      },
      { GRANARY_SERVED_LOG__SINK__KAFKA__BROKERS: brokers.join(',') },
    );
    const server = await createGranaryServer({ config, env: {}, logDestination: logCapture().stream });
    try {
      await post(server, '/v1/push', {
        rows: [{ view: 'user_stats', key: { user_id: 5 }, values: { clicks: 9 }, eventTime: Date.now() }],
      });
      expect(
        (await post(server, '/v1/features', { features: ['user_stats:clicks'], entities: [{ user_id: 5 }] }))
          .status,
      ).toBe(200);
    } finally {
      await server.close(); // flushes the served log into the sink
    }
    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const record = await new Promise<Record<string, unknown>>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(JSON.parse(String(message.value))) });
    });
    await consumer.disconnect();
    expect(record).toMatchObject({
      schemaVersion: 1,
      view: 'user_stats',
      entity: { user_id: '5' },
      values: { clicks: '9' },
      statuses: { clicks: 'PRESENT' },
    });
  }, 60_000);
});
