/**
 * Every setting of the consumer app: its path in the config file, its type, its default and what it does.
 * The one table the loader, the environment overrides, `--help` and the README are derived from.
 */

/** The type of a setting. */
export type SettingType = 'string' | 'list' | 'number' | 'boolean' | 'duration' | 'secret';

/** One setting. */
export interface Setting {
  /** Dotted path in the config file (`kafka.deadLetterTopic`). */
  readonly path: string;
  readonly type: SettingType;
  /** The default, as written in a config file; undefined when required or when there is none. */
  readonly default?: string | number | boolean | readonly string[];
  readonly required?: boolean;
  /** Allowed values of a string setting. */
  readonly oneOf?: readonly string[];
  /** What it does; the default's meaning when it is not a plain value. */
  readonly doc: string;
}

/** The settings, in the order `--help` lists them. */
export const SETTINGS: readonly Setting[] = [
  {
    path: 'registry',
    type: 'string',
    required: true,
    doc: 'Registry file (YAML or JSON), relative to the config file.',
  },
  {
    path: 'kafka.brokers',
    type: 'list',
    required: true,
    doc: 'Bootstrap brokers, `host:port` (comma-separated in the environment).',
  },
  { path: 'kafka.clientId', type: 'string', default: 'granary-consumer', doc: 'kafkajs client id.' },
  { path: 'kafka.groupId', type: 'string', default: 'granary-consumer', doc: 'Consumer group.' },
  { path: 'kafka.topics', type: 'list', doc: "Topics to consume. Default: every view's `source.topic`." },
  {
    path: 'kafka.deadLetterTopic',
    type: 'string',
    default: 'granary-dead-letters',
    doc: 'Where invalid events go, reason in headers.',
  },
  { path: 'kafka.ssl', type: 'boolean', default: false, doc: 'Connect with TLS.' },
  {
    path: 'kafka.sasl.mechanism',
    type: 'string',
    oneOf: ['plain', 'scram-sha-256', 'scram-sha-512'],
    doc: 'SASL mechanism. Default: no SASL.',
  },
  { path: 'kafka.sasl.username', type: 'string', doc: 'SASL user.' },
  {
    path: 'kafka.sasl.password',
    type: 'secret',
    doc: 'SASL password: environment only (GRANARY_KAFKA__SASL__PASSWORD).',
  },
  { path: 'kafka.sasl.passwordFile', type: 'string', doc: 'File holding the SASL password.' },
  { path: 'kafka.connectionTimeout', type: 'duration', default: '3s', doc: 'Broker connection timeout.' },
  {
    path: 'store.kind',
    type: 'string',
    default: 'redis',
    oneOf: ['redis', 'memory'],
    doc: '`redis` (@granary/redis) or `memory` (in-process; demos and tests only).',
  },
  {
    path: 'store.redis.url',
    type: 'string',
    default: 'redis://127.0.0.1:6379',
    doc: 'Redis URL. A URL with a password is refused in the file: set it in GRANARY_STORE__REDIS__URL.',
  },
  {
    path: 'store.redis.keyPrefix',
    type: 'string',
    default: 'granary:',
    doc: 'Prefix of every Redis key (must match the server).',
  },
  {
    path: 'store.redis.timeout',
    type: 'duration',
    default: '2s',
    doc: 'Per-command timeout of the Redis store.',
  },
  { path: 'consumer.writeBatchSize', type: 'number', default: 1000, doc: 'Events per store write.' },
  {
    path: 'consumer.writeTimeout',
    type: 'duration',
    default: '5s',
    doc: 'A slower write counts as failed: the partition pauses.',
  },
  {
    path: 'consumer.maxFutureSkew',
    type: 'duration',
    default: '5m',
    doc: 'Events further in the future are dead-lettered.',
  },
  {
    path: 'consumer.retryInitial',
    type: 'duration',
    default: '250ms',
    doc: 'First pause after a failed write (doubles, with jitter).',
  },
  { path: 'consumer.retryMax', type: 'duration', default: '10s', doc: 'Longest pause.' },
  {
    path: 'consumer.partitionsConsumedConcurrently',
    type: 'number',
    default: 4,
    doc: 'Partitions processed at once.',
  },
  {
    path: 'consumer.commitInterval',
    type: 'duration',
    doc: 'Commit written offsets at most this often. Default: after every batch.',
  },
  { path: 'consumer.sessionTimeout', type: 'duration', default: '30s', doc: 'Group session timeout.' },
  { path: 'consumer.heartbeatInterval', type: 'duration', default: '3s', doc: 'Group heartbeat interval.' },
  {
    path: 'consumer.fromBeginning',
    type: 'boolean',
    default: true,
    doc: 'A new group starts at the earliest offset.',
  },
  {
    path: 'consumer.lagInterval',
    type: 'duration',
    default: '5s',
    doc: 'How often lag is refreshed from the broker.',
  },
  {
    path: 'heartbeat.enabled',
    type: 'boolean',
    default: true,
    doc: 'Produce pipeline heartbeats for the views consumed.',
  },
  {
    path: 'heartbeat.interval',
    type: 'duration',
    doc: "Heartbeat interval. Default: each view's `heartbeatInterval`.",
  },
  { path: 'http.host', type: 'string', default: '0.0.0.0', doc: 'Address of /metrics and /healthz.' },
  {
    path: 'http.port',
    type: 'number',
    default: 9464,
    doc: 'Port of /metrics and /healthz (0: any free port).',
  },
  {
    path: 'log.level',
    type: 'string',
    default: 'info',
    oneOf: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    doc: 'pino log level.',
  },
  {
    path: 'shutdownTimeout',
    type: 'duration',
    default: '30s',
    doc: 'Longest graceful shutdown before exiting with code 4.',
  },
];

/** The environment variable of a setting: `GRANARY_` + path segments in SCREAMING_SNAKE joined by `__`. */
export function envName(path: string): string {
  return `GRANARY_${path
    .split('.')
    .map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('__')}`;
}
