/** Inputs of {@link registryYaml}. */
export interface RegistryConfig {
  readonly view: string;
  readonly topic: string;
  readonly maxAgeS: number;
  readonly heartbeatIntervalS: number;
  readonly sloThresholdS: number;
}

/** The drill's registry: one view on one partition, with the drill's freshness parameters. */
export function registryYaml(c: RegistryConfig): string {
  return [
    'entities:',
    '  - { name: user, joinKeys: [user_id] }',
    'views:',
    `  - name: ${c.view}`,
    '    entity: user',
    `    maxAge: ${c.maxAgeS}s`,
    `    heartbeatInterval: ${c.heartbeatIntervalS}s`,
    `    freshnessSlo: { target: 0.99, threshold: ${c.sloThresholdS}s }`,
    `    source: { topic: ${c.topic}, partitions: 1 }`,
    '    features:',
    '      - { name: clicks, type: int64 }',
    '      - { name: ctr, type: float64 }',
    '',
  ].join('\n');
}

/** Inputs of {@link consumerYaml}. */
export interface ConsumerConfig {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly keyPrefix: string;
  readonly port: number;
}

/**
 * apps/consumer's config: Redis store (its URL comes from `GRANARY_STORE__REDIS__URL`), its own heartbeats off
 * (the drill runs the upstream heartbeat producer), health endpoint on loopback.
 */
export function consumerYaml(c: ConsumerConfig): string {
  return [
    'registry: { path: registry.yaml }',
    'kafka:',
    `  brokers: [${c.brokers.join(', ')}]`,
    `  groupId: ${c.groupId}`,
    `  deadLetterTopic: ${c.deadLetterTopic}`,
    'store:',
    '  type: redis',
    `  redis: { keyPrefix: "${c.keyPrefix}" }`,
    'heartbeat: { enabled: false } # the drill runs the upstream heartbeat producer itself',
    `http: { host: 127.0.0.1, port: ${c.port} }`,
    'log: { level: warn }',
    '',
  ].join('\n');
}

/** Inputs of {@link serverYaml}. */
export interface ServerConfig {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly port: number;
}

/** apps/server's config: Redis store with the consumer's key prefix, loopback port, auth `none`. */
export function serverYaml(c: ServerConfig): string {
  return [
    'registry: { path: ./registry.yaml }',
    'store:',
    '  type: redis',
    `  redis: { url: "${c.redisUrl}", keyPrefix: "${c.keyPrefix}" }`,
    `server: { host: 127.0.0.1, port: ${c.port} }`,
    'log: { level: warn }',
    'auth: { mode: none }',
    '',
  ].join('\n');
}
