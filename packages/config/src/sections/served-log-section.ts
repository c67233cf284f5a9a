import { ENGINE_DEFAULTS } from '@granary/core';
import { type StaticDecode, Type } from 'typebox';
import type { ConfigProblem } from '../load/config-source.js';
import type { Rename } from '../load/renames.js';
import { duration, falseOr, int, ms, num, oneOf, path, section, str } from '../schema/fields.js';
import { kafkaConnectionFields } from './kafka-connection.js';

const D = ENGINE_DEFAULTS.servedLog;
const opt = Type.Optional;

/**
 * `servedLog`: the engine's served-feature log (sampling and buffering, defaults from core) and its sink, a
 * JSONL file or a Kafka topic (`@granary/kafka`'s sink, imported only when selected).
 */
export const servedLogSection = falseOr(
  section(
    {
      sampleRate: num({ min: 0, max: 1, description: 'Share of entity keys logged.', default: D.sampleRate }),
      maxBuffered: int({
        min: 1,
        description: 'Records buffered before new ones are dropped.',
        default: D.maxBuffered,
      }),
      maxBatch: int({ min: 1, description: 'Records per sink write.', default: D.maxBatch }),
      flushInterval: duration({
        positive: true,
        description: 'Buffered records are written at least this often.',
        default: ms(D.flushIntervalMs),
      }),
      sink: section(
        {
          type: oneOf(['jsonl', 'kafka'], {
            description: 'Where records go: jsonl or kafka.',
            default: 'jsonl',
          }),
          jsonl: section(
            {
              path: opt(
                path({ description: 'The JSONL file records are appended to; required for type jsonl.' }),
              ),
              bufferBytes: opt(
                int({
                  min: 1,
                  description: 'Write buffer of the file, bytes.',
                  defaultText: '@granary/core default',
                }),
              ),
            },
            { description: 'The JSONL file sink.' },
          ),
          kafka: section(
            {
              topic: opt(str({ description: 'Topic of the records; required for type kafka.' })),
              ...kafkaConnectionFields({ brokersRequired: false, clientId: 'granary-served-log' }),
              batchSize: opt(
                int({
                  min: 1,
                  description: 'Records per Kafka send.',
                  defaultText: '@granary/kafka default',
                }),
              ),
              sendTimeout: opt(
                duration({
                  positive: true,
                  description: 'A slower send fails.',
                  defaultText: '@granary/kafka default',
                }),
              ),
            },
            { description: 'The Kafka sink (@granary/kafka).' },
          ),
        },
        { description: 'The sink.' },
      ),
    },
    { description: 'Served-feature log.' },
  ),
  { description: 'The served-feature log, or false. Default: none (nothing is logged).', off: true },
);

/** The decoded `servedLog` section (when on). */
export type ServedLogConfig = Exclude<StaticDecode<typeof servedLogSection>, false>;

/** Checks that the selected sink has what it needs. */
export function checkServedLog(log: StaticDecode<typeof servedLogSection>): ConfigProblem | undefined {
  if (log === false) return undefined;
  const sink = log.sink;
  if (sink.type === 'jsonl' && sink.jsonl.path === undefined)
    return { path: ['servedLog', 'sink', 'jsonl', 'path'], problem: 'is required for sink type jsonl' };
  if (sink.type === 'kafka' && sink.kafka.topic === undefined)
    return { path: ['servedLog', 'sink', 'kafka', 'topic'], problem: 'is required for sink type kafka' };
  if (sink.type === 'kafka' && sink.kafka.brokers === undefined)
    return { path: ['servedLog', 'sink', 'kafka', 'brokers'], problem: 'is required for sink type kafka' };
  return undefined;
}

/** The JSONL sink's settings were directly under `servedLog.sink` before; accepted with a warning. */
export const SERVED_LOG_RENAMES: readonly Rename[] = [
  { from: 'servedLog.sink.path', to: 'servedLog.sink.jsonl.path', accept: true },
  { from: 'servedLog.sink.bufferBytes', to: 'servedLog.sink.jsonl.bufferBytes', accept: true },
];
