import { type StaticDecode, Type } from 'typebox';
import type { ConfigProblem } from '../load/config-source.js';
import { envName } from '../load/env-overrides.js';
import { bool, duration, list, oneOf, optionalSection, secretFields, str } from '../schema/fields.js';

/**
 * The fields of a Kafka connection (the consumer's `kafka` section, the served-log sink's `kafka`): brokers,
 * client id, TLS, SASL (password from the environment or a file) and the connection timeout.
 */
export function kafkaConnectionFields(options: {
  readonly brokersRequired: boolean;
  readonly clientId: string;
}) {
  const brokers = list(str({ description: 'host:port' }), {
    nonEmpty: true,
    description: 'Bootstrap brokers, host:port (comma-separated in the environment).',
  });
  return {
    brokers: options.brokersRequired ? brokers : Type.Optional(brokers),
    clientId: str({ description: 'kafkajs client id.', default: options.clientId }),
    ssl: bool({ description: 'Connect with TLS.', default: false }),
    sasl: Type.Optional(
      optionalSection(
        {
          mechanism: oneOf(['plain', 'scram-sha-256', 'scram-sha-512'], { description: 'SASL mechanism.' }),
          username: str({ description: 'SASL user.' }),
          ...secretFields('password', 'SASL password'),
        },
        { description: 'SASL authentication. Default: none.' },
      ),
    ),
    connectionTimeout: duration({ positive: true, description: 'Broker connection timeout.', default: '3s' }),
  };
}

const connection = Type.Object(kafkaConnectionFields({ brokersRequired: false, clientId: 'granary' }));

/** A decoded Kafka connection section (durations in ms). */
export type KafkaConnectionConfig = StaticDecode<typeof connection>;

/** Checks that a SASL section has its password (from the environment or `passwordFile`). */
export function checkSasl(
  connection: KafkaConnectionConfig,
  path: readonly string[],
): ConfigProblem | undefined {
  if (connection.sasl && connection.sasl.password === undefined) {
    return {
      path: [...path, 'sasl', 'password'],
      problem: `is required with sasl (set ${envName([...path, 'sasl', 'password'])} or sasl.passwordFile)`,
    };
  }
  return undefined;
}
