import { Kafka, type LogEntry, logLevel } from 'kafkajs';
import type { Logger as PinoLogger } from 'pino';
import type { ConsumerConfig } from './config.js';

/** A kafkajs client configured from the app's config, logging through pino (one JSON line per entry). */
export function createKafkaClient(config: ConsumerConfig, logger: PinoLogger): Kafka {
  const k = config.kafka;
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: k.clientId,
    brokers: k.brokers,
    ssl: k.ssl,
    ...(k.sasl
      ? {
          sasl: {
            mechanism: k.sasl.mechanism,
            username: k.sasl.username,
            password: k.sasl.password,
          } as never,
        }
      : {}),
    connectionTimeout: k.connectionTimeoutMs,
    // kafkajs INFO is chatty (every join, every commit); it is debug for us.
    logLevel: ['debug', 'trace'].includes(config.log.level) ? logLevel.INFO : logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...fields } = entry;
        const m = String(message);
        if (level === logLevel.ERROR) log.error(fields, m);
        else if (level === logLevel.WARN) log.warn(fields, m);
        else log.debug(fields, m);
      },
  });
}
