import { SCALE_OUT_VIEW } from './scale-out-options.ts';

/** The drill's registry: `drill_seq` (entity `user`), one feature `seq`, on `partitions` partitions of `topic`. */
export function scaleOutRegistryYaml(c: { topic: string; partitions: number }): string {
  return [
    'entities:',
    '  - { name: user, joinKeys: [{ name: user_id, type: int64 }] }',
    'views:',
    `  - name: ${SCALE_OUT_VIEW}`,
    '    entity: user',
    '    maxAge: 1h',
    '    heartbeatInterval: 2s',
    `    source: { topic: ${c.topic}, partitions: ${c.partitions} }`,
    '    features:',
    '      - { name: seq, type: int64 }',
    '',
  ].join('\n');
}

// slotsRefreshInterval: ioredis never refreshes its slot map on its own; the adapter refreshes it when a batch
// is refused with MOVED (and sends the refused items again alone), the periodic refresh shortens the window.
const store = (nodes: readonly string[], keyPrefix: string) => [
  'store:',
  '  type: redis-cluster',
  `  redisCluster: { nodes: [${nodes.join(', ')}], keyPrefix: "${keyPrefix}", timeout: 200ms, options: { slotsRefreshInterval: 1000 } }`,
];

/**
 * apps/server: Redis Cluster store, the drill's deadline, no near or negative cache (every read goes to the
 * store, so a regression in the store would show), auth off, loopback.
 */
export function scaleOutServerYaml(c: {
  nodes: readonly string[];
  keyPrefix: string;
  port: number;
  deadlineMs: number;
  /** `info` logs every request (the drained server: its log shows which reads it had started). */
  logLevel: 'info' | 'warn';
}): string {
  return [
    'registry: { path: ./registry.yaml }',
    ...store(c.nodes, c.keyPrefix),
    `engine: { deadline: ${c.deadlineMs}ms, nearCache: false, negativeCache: false }`,
    `server: { host: 127.0.0.1, port: ${c.port}, shutdownTimeout: 10s, overload: false }`,
    'auth: { mode: none }',
    `log: { level: ${c.logLevel} }`,
    '',
  ].join('\n');
}

/** apps/consumer: one group, short session timeout (a SIGKILLed member is noticed fast), health on loopback. */
export function scaleOutConsumerYaml(c: {
  nodes: readonly string[];
  keyPrefix: string;
  brokers: readonly string[];
  groupId: string;
  deadLetterTopic: string;
  port: number;
  sessionTimeoutMs: number;
}): string {
  return [
    'registry: { path: ./registry.yaml }',
    ...store(c.nodes, c.keyPrefix),
    `kafka: { brokers: [${c.brokers.join(', ')}], groupId: ${c.groupId}, deadLetterTopic: ${c.deadLetterTopic} }`,
    `consumer: { sessionTimeout: ${c.sessionTimeoutMs}ms, heartbeatInterval: 1s, fromBeginning: true, retryMax: 1s }`,
    `http: { host: 127.0.0.1, port: ${c.port} }`,
    'log: { level: warn }',
    '',
  ].join('\n');
}
