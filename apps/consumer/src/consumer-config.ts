import {
  type ConfigDefinition,
  checkSasl,
  checkSingleStore,
  DEFAULT_METRICS_PORTS,
  field,
  kafkaConnectionFields,
  logSection,
  REGISTRY_FILE_RENAME,
  registrySection,
  storeRenames,
  storeSection,
} from '@granary/config';
import { type StaticDecode, Type } from 'typebox';

const { bool, duration, int, list, port, section, str } = field;
const opt = Type.Optional;
const KAFKA = '@granary/kafka default';
const time = (description: string) => opt(duration({ positive: true, description, defaultText: KAFKA }));

/**
 * The consumer's configuration: the shared sections of @granary/config (`registry`, `store`, `log`, the
 * Kafka connection) and its own (`kafka` group and topics, `consumer`, `heartbeat`, `http`).
 */
export const CONSUMER_CONFIG_SCHEMA = Type.Object(
  {
    registry: registrySection({ pathRequired: true }),
    kafka: section(
      {
        ...kafkaConnectionFields({ brokersRequired: true, clientId: 'granary-consumer' }),
        groupId: str({ description: 'Consumer group.', default: 'granary-consumer' }),
        topics: opt(
          list(str({ description: 'a topic' }), {
            description: 'Topics to consume.',
            defaultText: "every view's source.topic",
          }),
        ),
        deadLetterTopic: str({
          description: 'Where invalid events go, reason in headers.',
          default: 'granary-dead-letters',
        }),
      },
      { description: 'Kafka.' },
    ),
    store: storeSection('redis'),
    consumer: section(
      {
        writeBatchSize: opt(
          int({ min: 1, description: 'Events per store write (and per commit).', defaultText: KAFKA }),
        ),
        writeTimeout: time('A slower write counts as failed: the partition pauses.'),
        maxFutureSkew: time('Events further in the future are dead-lettered.'),
        retryInitial: time('First pause after a failed write (doubles, with jitter).'),
        retryMax: time('Longest pause.'),
        partitionsConsumedConcurrently: opt(
          int({ min: 1, description: 'Partitions processed at once.', defaultText: KAFKA }),
        ),
        commitInterval: opt(
          duration({
            positive: true,
            description: 'Commit written offsets at most this often.',
            defaultText: 'after every batch',
          }),
        ),
        sessionTimeout: time('Group session timeout.'),
        heartbeatInterval: time('Group heartbeat interval (not pipeline heartbeats).'),
        fromBeginning: opt(
          bool({ description: 'A new group starts at the earliest offset.', defaultText: KAFKA }),
        ),
        lagInterval: time('How often lag is refreshed from the broker.'),
      },
      { description: 'The materializer (@granary/kafka).' },
    ),
    heartbeat: section(
      {
        enabled: bool({ description: 'Produce pipeline heartbeats for the views consumed.', default: true }),
        interval: opt(
          duration({
            positive: true,
            description: 'Heartbeat interval.',
            defaultText: "each view's heartbeatInterval",
          }),
        ),
      },
      { description: 'Pipeline heartbeats.' },
    ),
    http: section(
      {
        host: str({ description: 'Address of /metrics and /healthz.', default: '0.0.0.0' }),
        port: port({
          description: 'Port of /metrics and /healthz (0: any free port).',
          default: DEFAULT_METRICS_PORTS.consumer,
        }),
      },
      { description: 'The metrics and health endpoint.' },
    ),
    log: logSection,
    shutdownTimeout: duration({
      positive: true,
      description: 'Longest graceful shutdown before exiting with code 4.',
      default: '30s',
    }),
  },
  { additionalProperties: false },
);

/** The consumer's configuration, loaded (durations in ms, paths absolute). */
export type ConsumerConfig = StaticDecode<typeof CONSUMER_CONFIG_SCHEMA>;

/** The consumer's schema, renamed keys and rules. */
export const CONSUMER_CONFIG: ConfigDefinition<typeof CONSUMER_CONFIG_SCHEMA> = {
  schema: CONSUMER_CONFIG_SCHEMA,
  renames: [
    REGISTRY_FILE_RENAME,
    { from: 'store.kind', to: 'store.type', accept: true },
    ...storeRenames(['store']),
  ],
  rules: [({ store }) => checkSingleStore(store, 'consumer'), ({ kafka }) => checkSasl(kafka, ['kafka'])],
};
