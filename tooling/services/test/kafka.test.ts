import { type Admin, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureServices } from '../src/index.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const topic = `granary-services-test-${process.pid}-${Date.now()}`;
const kafkas: Kafka[] = [];
const admins: Admin[] = [];

beforeAll(async () => {
  const endpoints = await ensureServices(['kafka']);
  const kafka = new Kafka({
    clientId: 'granary-services-test',
    brokers: [...endpoints.kafka.brokers],
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  kafkas.push(kafka);
  admins.push(admin);
});

afterAll(async () => {
  for (const admin of admins) {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

it('kafkajs produces and consumes one message', async () => {
  const [kafka] = kafkas;
  const [admin] = admins;
  if (!kafka || !admin) throw new Error('no client');
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [{ key: 'k', value: JSON.stringify({ schemaVersion: 1, hello: 'kafka' }) }],
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') });
    });
    expect(JSON.parse(await received)).toEqual({ schemaVersion: 1, hello: 'kafka' });
  } finally {
    await consumer.disconnect();
  }
  await admin.deleteGroups([`${topic}-group`]).catch(() => undefined);
});
