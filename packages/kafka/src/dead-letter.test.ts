import { createInMemoryMetricsRecorder } from '@granary/core/testing';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createDeadLetterPublisher, DEAD_LETTER_HEADERS, deadLetterMessage } from './dead-letter.js';

const message = (offset: string): KafkaMessage =>
  ({
    key: Buffer.from('k'),
    value: Buffer.from('{bad'),
    timestamp: '1767225600000',
    attributes: 0,
    offset,
    size: 0,
    headers: { trace: Buffer.from('abc'), 'granary-dlq-reason': 'old' },
  }) as unknown as KafkaMessage;

describe('dead letters', () => {
  it('keep key, value and headers, and add the reason and the source coordinates', () => {
    const m = deadLetterMessage(
      {
        topic: 'events',
        partition: 3,
        message: message('42'),
        reason: 'INVALID_JSON',
        detail: 'x'.repeat(2000),
        path: '',
        view: 'v',
      },
      { groupId: 'g', now: Date.UTC(2026, 0, 1) },
    );
    expect(m.key?.toString()).toBe('k');
    expect(m.value?.toString()).toBe('{bad');
    const h = DEAD_LETTER_HEADERS;
    expect(m.headers).toMatchObject({
      trace: Buffer.from('abc'),
      [h.reason]: 'INVALID_JSON',
      [h.path]: '',
      [h.view]: 'v',
      [h.sourceTopic]: 'events',
      [h.sourcePartition]: '3',
      [h.sourceOffset]: '42',
      [h.sourceTimestamp]: '1767225600000',
      [h.consumerGroup]: 'g',
      [h.time]: '2026-01-01T00:00:00.000Z',
    });
    expect(String(m.headers?.[h.message]).length).toBe(1000);
  });

  it('are sent with acks=all and counted by topic and reason; a failed send rejects', async () => {
    const sent: unknown[] = [];
    const metrics = createInMemoryMetricsRecorder();
    let fail = false;
    const producer = {
      send: async (record: unknown) => {
        if (fail) throw new Error('broker down');
        sent.push(record);
        return [];
      },
    };
    const publisher = createDeadLetterPublisher({
      producer: producer as never,
      topic: 'dlq',
      groupId: 'g',
      metrics,
    });
    const letter = {
      topic: 'events',
      partition: 0,
      message: message('1'),
      reason: 'UNKNOWN_VIEW' as const,
      detail: 'd',
      path: 'view',
    };
    await publisher.publish([letter, letter]);
    await publisher.publish([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ topic: 'dlq', acks: -1 });
    expect(
      metrics.value('granary_kafka_dead_letters_total', { topic: 'events', reason: 'UNKNOWN_VIEW' }),
    ).toBe(2);
    fail = true;
    await expect(publisher.publish([letter])).rejects.toThrow('broker down');
  });
});
