import type { Kafka, LogEntry, SASLOptions } from 'kafkajs';
import type { KafkaConnectionConfig } from '../sections/kafka-connection.js';

/** The logger kafkajs' entries go to (pino's shape). */
export interface KafkaClientLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

type Sasl = NonNullable<KafkaConnectionConfig['sasl']>;

function saslOptions(sasl: Sasl, password: string): SASLOptions {
  const { username } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/** Options of {@link createKafkaClient}. */
export interface CreateKafkaClientOptions {
  /** Where kafkajs logs. Default: nowhere. */
  readonly logger?: KafkaClientLogger;
  /** Log kafkajs' INFO entries (as debug); otherwise only its warnings and errors. Default: false. */
  readonly verbose?: boolean;
}

/**
 * A kafkajs client from a Kafka connection section (`kafka` of the consumer, `servedLog.sink.kafka` of the
 * server): brokers, client id, TLS, SASL and the connection timeout; kafkajs is imported when called.
 */
export async function createKafkaClient(
  connection: KafkaConnectionConfig & { readonly brokers: readonly string[] },
  options: CreateKafkaClientOptions = {},
): Promise<Kafka> {
  const { Kafka: KafkaClient, logLevel } = await import('kafkajs');
  const log = options.logger;
  const sasl = connection.sasl;
  return new KafkaClient({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    ssl: connection.ssl,
    ...(sasl?.password === undefined ? {} : { sasl: saslOptions(sasl, sasl.password) }),
    connectionTimeout: connection.connectionTimeout,
    logLevel: log === undefined ? logLevel.NOTHING : options.verbose ? logLevel.INFO : logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...fields } = entry;
        if (level === logLevel.ERROR) log?.error(fields, String(message));
        else if (level === logLevel.WARN) log?.warn(fields, String(message));
        else log?.debug(fields, String(message));
      },
  });
}
