import { Type } from 'typebox';
import {
  bool,
  duration,
  int,
  list,
  map,
  optionalSection,
  secretFields,
  section,
  str,
  url,
} from '../schema/fields.js';

const opt = Type.Optional;
const ADAPTER = (pkg: string) => `${pkg} default`;

const name = () =>
  opt(str({ description: 'Name in errors, logs and metric labels.', defaultText: 'the adapter type' }));
const maxValueBytes = (pkg: string) =>
  opt(int({ min: 1, description: 'Largest encoded value accepted, in bytes.', defaultText: ADAPTER(pkg) }));
const count = (description: string, pkg: string, min = 1) =>
  opt(int({ min, description, defaultText: ADAPTER(pkg) }));
const time = (description: string, pkg: string) =>
  opt(duration({ positive: true, description, defaultText: ADAPTER(pkg) }));

/** `store.memory`: the in-process store (demos, tests; data lives in the process only). */
export const memorySection = section(
  { maxValueBytes: maxValueBytes('@granary/core'), name: name() },
  { description: 'Options of the in-process memory store (type memory).' },
);

const keyPrefix = () =>
  opt(
    str({
      allowEmpty: true,
      description: 'Prefix of every key (must match the other apps).',
      defaultText: ADAPTER('@granary/redis'),
    }),
  );

/** `store.redis`: a standalone Redis (@granary/redis). */
export const redisSection = section(
  {
    url: opt(url({ description: 'redis://[user@]host:port[/db] or rediss://...; required for type redis.' })),
    ...secretFields('password', 'Redis password'),
    keyPrefix: keyPrefix(),
    timeout: time(
      'Longest a read, write, scan page or probe may take (then STORE_TIMEOUT).',
      '@granary/redis',
    ),
    batchSize: count('Most keys in one pipeline.', '@granary/redis'),
    maxValueBytes: maxValueBytes('@granary/redis'),
    name: name(),
  },
  { description: 'Options of a standalone Redis (type redis).' },
);

/** `store.redisCluster`: a Redis Cluster (@granary/redis). */
export const redisClusterSection = section(
  {
    nodes: opt(
      list(str({ description: 'host:port' }), {
        nonEmpty: true,
        description: 'Startup nodes, host:port; required for type redis-cluster.',
      }),
    ),
    ...secretFields('password', 'Password of every node'),
    tls: opt(bool({ description: 'Connect to every node with TLS.', defaultText: 'off' })),
    keyPrefix: keyPrefix(),
    timeout: time(
      'Longest a read, write, scan page or probe may take (then STORE_TIMEOUT).',
      '@granary/redis',
    ),
    batchSize: count('Most keys in one pipeline per node.', '@granary/redis'),
    maxValueBytes: maxValueBytes('@granary/redis'),
    options: opt(
      map(Type.Unknown(), {
        description: 'ioredis Cluster options, passed through (natMap, scaleReads, ...).',
      }),
    ),
    name: name(),
  },
  { description: 'Options of a Redis Cluster (type redis-cluster).' },
);

const DDB = '@granary/dynamodb';

/** `store.dynamodb`: DynamoDB or a compatible server (@granary/dynamodb). */
export const dynamodbSection = section(
  {
    endpoint: opt(
      url({
        description: 'Endpoint URL (e.g. http://127.0.0.1:8000 for dynalite).',
        defaultText: "the SDK's (AWS)",
      }),
    ),
    region: opt(str({ description: 'AWS region.', defaultText: "the SDK's provider chain (AWS_REGION)" })),
    credentials: opt(
      optionalSection(
        {
          accessKeyId: str({ description: 'AWS access key id.' }),
          ...secretFields('secretAccessKey', 'AWS secret access key'),
          ...secretFields('sessionToken', 'AWS session token'),
        },
        {
          description:
            "Static credentials. Default: the SDK's provider chain (environment, shared files, IMDS).",
        },
      ),
    ),
    tablePrefix: opt(
      str({
        allowEmpty: true,
        description: 'Prefix of every table name (<tablePrefix><view>).',
        defaultText: ADAPTER(DDB),
      }),
    ),
    createTables: opt(
      bool({ description: 'init creates missing tables (on-demand billing).', defaultText: ADAPTER(DDB) }),
    ),
    enableTimeToLive: opt(
      bool({ description: 'init enables TTL on the tables it creates.', defaultText: ADAPTER(DDB) }),
    ),
    consistentReads: opt(
      bool({ description: 'Strongly consistent reads by default.', defaultText: ADAPTER(DDB) }),
    ),
    readConcurrency: count('BatchGetItem calls in flight per read.', DDB),
    writeConcurrency: count('UpdateItem calls in flight per write.', DDB),
    maxWriteAttempts: count('Attempts of one conditional update under contention.', DDB),
    maxUnprocessedRetries: count('Retries of UnprocessedKeys.', DDB, 0),
    maxAttempts: count('Attempts per request by the SDK retry strategy.', DDB),
    maxSockets: count('Keep-alive sockets per client.', DDB),
    connectTimeout: time('TCP (and TLS) connect timeout.', DDB),
    requestTimeout: time('Timeout of one HTTP request (then STORE_TIMEOUT).', DDB),
    tableActiveTimeout: time('How long init waits for a table to become ACTIVE.', DDB),
    backoffBase: time('First backoff step of UnprocessedKeys retries.', DDB),
    backoffMax: time('Largest backoff of those retries.', DDB),
    maxValueBytes: maxValueBytes(DDB),
    name: name(),
  },
  { description: 'Options of DynamoDB (type dynamodb).' },
);

const CAS = '@granary/cassandra';
const level = (description: string) => opt(str({ description, defaultText: ADAPTER(CAS) }));

/** `store.cassandra`: Apache Cassandra (@granary/cassandra). */
export const cassandraSection = section(
  {
    contactPoints: opt(
      list(str({ description: 'host or host:port' }), {
        nonEmpty: true,
        description: 'Contact points, host or host:port.',
        defaultText: ADAPTER(CAS),
      }),
    ),
    localDataCenter: opt(str({ description: "The driver's local data center.", defaultText: ADAPTER(CAS) })),
    keyspace: opt(str({ description: 'Keyspace of the table.', defaultText: ADAPTER(CAS) })),
    table: opt(str({ description: 'Table holding every view of this store.', defaultText: ADAPTER(CAS) })),
    createSchema: opt(
      bool({ description: 'init creates the keyspace and table when missing.', defaultText: ADAPTER(CAS) }),
    ),
    replication: opt(
      map(Type.Union([Type.String(), Type.Number()]), {
        description: 'Keyspace replication when createSchema creates it (CQL map).',
        defaultText: ADAPTER(CAS),
      }),
    ),
    tableOptions: opt(
      str({
        description: 'CQL table options when createSchema creates the table.',
        defaultText: ADAPTER(CAS),
      }),
    ),
    username: opt(str({ description: 'User of PlainTextAuthProvider.' })),
    ...secretFields('password', 'Cassandra password'),
    readConsistency: level('Consistency level of reads.'),
    consistentReadConsistency: level('Consistency level of reads with consistent: true.'),
    writeConsistency: level('Consistency level of writes.'),
    readConcurrency: count('Partitions read concurrently per read.', CAS),
    writeConcurrency: count('Partition writes in flight per write.', CAS),
    readTimeout: time('Client-side timeout of one read (then STORE_TIMEOUT).', CAS),
    writeTimeout: time('Client-side timeout of one write (then STORE_TIMEOUT).', CAS),
    speculativeExecution: opt(
      optionalSection(
        {
          delay: duration({
            positive: true,
            description: 'Delay before a read is also sent to the next replica.',
          }),
          maxExecutions: count('Most extra executions per read.', CAS),
        },
        { description: 'Hedge slow reads to another replica. Default: off.' },
      ),
    ),
    maxValueBytes: maxValueBytes(CAS),
    maxBatchBytes: count('Largest sum of value bytes in one single-partition batch.', CAS),
    name: name(),
  },
  { description: 'Options of Cassandra (type cassandra).' },
);
