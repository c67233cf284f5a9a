import type { ServiceName } from './names.ts';

/** Loopback ports of the servers this tool starts (all non-default, so a developer's own servers keep theirs). */
export const PORTS = {
  redis: 16379,
  redisCluster: [30001, 30002, 30003],
  /** Redis Cluster bus ports (node port + 10000). */
  redisClusterBus: [40001, 40002, 40003],
  dynalite: 18000,
  kafka: 19092,
  kafkaController: 19093,
  cassandra: 19042,
  cassandraStorage: 17000,
  cassandraJmx: 17199,
  toxiproxy: 18474,
  /** Redis Cluster with replicas: 3 masters and 3 replicas (roles are assigned by `--cluster create`). */
  redisClusterHa: [31001, 31002, 31003, 31004, 31005, 31006],
  /** Its cluster bus ports (`cluster-port`), below Linux's ephemeral range. */
  redisClusterHaBus: [32001, 32002, 32003, 32004, 32005, 32006],
  /** The Cassandra ring's native (CQL) port, the same on each node's own address. */
  cassandraRing: 19142,
  /** The ring's storage (gossip) port, on each node's own address. */
  cassandraRingStorage: 17100,
  /** Local JMX of ring nodes 1-3 (JMX binds 127.0.0.1 whatever the node's address). */
  cassandraRingJmx: [17201, 17202, 17203],
  /** moto's server (a second DynamoDB implementation). */
  moto: 18100,
  /** PostgreSQL (the worked third-party adapter example, examples/postgres-online-store). */
  postgres: 15432,
} as const;

export const LOCALHOST = '127.0.0.1';

/** The ring's node addresses: Linux routes all of 127.0.0.0/8 to the loopback interface. */
export const CASSANDRA_RING_HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'] as const;

/** The variable that points tests at a server of the user's own instead of the one this tool starts. */
export const ENV_VARS = {
  redis: 'GRANARY_REDIS_URL',
  'redis-cluster': 'GRANARY_REDIS_CLUSTER_NODES',
  dynalite: 'GRANARY_DYNAMODB_ENDPOINT',
  kafka: 'GRANARY_KAFKA_BROKERS',
  cassandra: 'GRANARY_CASSANDRA_CONTACT_POINTS',
  toxiproxy: 'GRANARY_TOXIPROXY_URL',
  'redis-cluster-ha': 'GRANARY_REDIS_CLUSTER_HA_NODES',
  'cassandra-ring': 'GRANARY_CASSANDRA_RING_CONTACT_POINTS',
  moto: 'GRANARY_MOTO_ENDPOINT',
  postgres: 'GRANARY_POSTGRES_URL',
} as const satisfies Record<ServiceName, string>;

/** Cassandra's local data center for the driver's load-balancing policy (default `datacenter1`). */
export const CASSANDRA_LOCAL_DC_VAR = 'GRANARY_CASSANDRA_LOCAL_DC';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

interface Common {
  /** The value the `GRANARY_*` variable has or would have (`pnpm services env`). */
  readonly url: string;
  /** True when the user's variable points at a server this tool did not start. */
  readonly external: boolean;
}

/** A DynamoDB API endpoint (dynalite or moto). */
export type DynamoEndpoint = Common &
  HostPort & {
    /** For `new DynamoDBClient({ endpoint })`. */
    readonly endpoint: string;
    /** `AWS_REGION`, default `us-east-1`. */
    readonly region: string;
    /** `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, default dummy keys (dynalite and moto accept any). */
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };

/** A Cassandra cluster (one node or a ring). */
export type CassandraEndpoint = Common & {
  /** `host:port` strings, as cassandra-driver's `contactPoints` takes them. */
  readonly contactPoints: readonly string[];
  /** `GRANARY_CASSANDRA_LOCAL_DC`, default `datacenter1`. */
  readonly localDataCenter: string;
};

/** How to reach each service: the user's servers where a `GRANARY_*` variable is set, else this tool's. */
export interface ServiceEndpoints {
  readonly redis: Common & HostPort;
  readonly redisCluster: Common & { readonly nodes: readonly HostPort[] };
  readonly dynalite: DynamoEndpoint;
  readonly kafka: Common & { readonly brokers: readonly string[] };
  readonly cassandra: CassandraEndpoint;
  readonly toxiproxy: Common & HostPort;
  /** The 6-node Redis Cluster (3 masters, 3 replicas). */
  readonly redisClusterHa: Common & { readonly nodes: readonly HostPort[] };
  /** The 3-node Cassandra ring (127.0.0.1-3). */
  readonly cassandraRing: CassandraEndpoint;
  /** moto's DynamoDB. */
  readonly moto: DynamoEndpoint;
  /** PostgreSQL; `url` is a connection string (`postgres://user@host:port/database`). */
  readonly postgres: Common & HostPort;
}

type Env = Readonly<Record<string, string | undefined>>;

function given(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Parses `host:port` (or `[v6]:port`); `defaultPort` when the port is left out. */
export function parseHostPort(value: string, defaultPort: number): HostPort {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) return { host: v6[1] ?? value, port: v6[2] ? Number(v6[2]) : defaultPort };
  const at = value.lastIndexOf(':');
  if (at < 0) return { host: value, port: defaultPort };
  const port = Number(value.slice(at + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port in "${value}"`);
  return { host: value.slice(0, at), port };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function urlHostPort(value: string, defaultPort: number, name: string): HostPort {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name}=${value} is not a URL`);
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : defaultPort };
}

function clusterEndpoint(env: Env, name: string, ports: readonly number[]) {
  const given_ = given(env, name);
  const nodes = given_
    ? splitList(given_).map((n) => parseHostPort(n, 6379))
    : ports.map((port) => ({ host: LOCALHOST, port }));
  return { url: nodes.map((n) => `${n.host}:${n.port}`).join(','), external: given_ !== undefined, nodes };
}

function dynamoEndpoint(env: Env, name: string, port: number): DynamoEndpoint {
  const value = given(env, name);
  const url = value ?? `http://${LOCALHOST}:${port}`;
  return {
    url,
    endpoint: url,
    external: value !== undefined,
    ...urlHostPort(url, 443, name),
    region: given(env, 'AWS_REGION') ?? 'us-east-1',
    credentials: {
      accessKeyId: given(env, 'AWS_ACCESS_KEY_ID') ?? 'granary',
      secretAccessKey: given(env, 'AWS_SECRET_ACCESS_KEY') ?? 'granary',
    },
  };
}

function cassandraEndpoint(env: Env, name: string, defaults: readonly string[]): CassandraEndpoint {
  const value = given(env, name);
  const points = value ? splitList(value) : [...defaults];
  return {
    url: points.join(','),
    external: value !== undefined,
    contactPoints: points,
    localDataCenter: given(env, CASSANDRA_LOCAL_DC_VAR) ?? 'datacenter1',
  };
}

/**
 * Where each service is. Reads the `GRANARY_*` variables (see README) and falls back to the loopback ports
 * this tool uses. Pure: it starts and checks nothing (see `ensureServices`).
 */
export function serviceEndpoints(env: Env = process.env): ServiceEndpoints {
  const redisUrl = given(env, ENV_VARS.redis);
  const brokers = given(env, ENV_VARS.kafka);
  const toxiproxy = given(env, ENV_VARS.toxiproxy);
  const postgresUrl = given(env, ENV_VARS.postgres);
  const postgresValue = postgresUrl ?? `postgres://postgres@${LOCALHOST}:${PORTS.postgres}/postgres`;

  const redisValue = redisUrl ?? `redis://${LOCALHOST}:${PORTS.redis}`;
  const brokerList = brokers ? splitList(brokers) : [`${LOCALHOST}:${PORTS.kafka}`];
  const toxiValue = toxiproxy ?? `http://${LOCALHOST}:${PORTS.toxiproxy}`;

  return {
    redis: {
      url: redisValue,
      external: redisUrl !== undefined,
      ...urlHostPort(redisValue, 6379, ENV_VARS.redis),
    },
    redisCluster: clusterEndpoint(env, ENV_VARS['redis-cluster'], PORTS.redisCluster),
    dynalite: dynamoEndpoint(env, ENV_VARS.dynalite, PORTS.dynalite),
    kafka: { url: brokerList.join(','), external: brokers !== undefined, brokers: brokerList },
    cassandra: cassandraEndpoint(env, ENV_VARS.cassandra, [`${LOCALHOST}:${PORTS.cassandra}`]),
    toxiproxy: {
      url: toxiValue.replace(/\/+$/, ''),
      external: toxiproxy !== undefined,
      ...urlHostPort(toxiValue, 8474, ENV_VARS.toxiproxy),
    },
    redisClusterHa: clusterEndpoint(env, ENV_VARS['redis-cluster-ha'], PORTS.redisClusterHa),
    cassandraRing: cassandraEndpoint(
      env,
      ENV_VARS['cassandra-ring'],
      CASSANDRA_RING_HOSTS.map((host) => `${host}:${PORTS.cassandraRing}`),
    ),
    moto: dynamoEndpoint(env, ENV_VARS.moto, PORTS.moto),
    postgres: {
      url: postgresValue,
      external: postgresUrl !== undefined,
      ...urlHostPort(postgresValue, 5432, ENV_VARS.postgres),
    },
  };
}

/** The part of `ServiceEndpoints` that belongs to one service, with the ports it answers on. */
export function endpointOf(
  endpoints: ServiceEndpoints,
  name: ServiceName,
): { url: string; external: boolean; ports: number[] } {
  switch (name) {
    case 'redis':
      return { url: endpoints.redis.url, external: endpoints.redis.external, ports: [endpoints.redis.port] };
    case 'redis-cluster':
      return {
        url: endpoints.redisCluster.url,
        external: endpoints.redisCluster.external,
        ports: endpoints.redisCluster.nodes.map((n) => n.port),
      };
    case 'dynalite':
      return {
        url: endpoints.dynalite.url,
        external: endpoints.dynalite.external,
        ports: [endpoints.dynalite.port],
      };
    case 'kafka':
      return {
        url: endpoints.kafka.url,
        external: endpoints.kafka.external,
        ports: endpoints.kafka.brokers.map((b) => parseHostPort(b, 9092).port),
      };
    case 'cassandra':
      return {
        url: endpoints.cassandra.url,
        external: endpoints.cassandra.external,
        ports: endpoints.cassandra.contactPoints.map((c) => parseHostPort(c, 9042).port),
      };
    case 'toxiproxy':
      return {
        url: endpoints.toxiproxy.url,
        external: endpoints.toxiproxy.external,
        ports: [endpoints.toxiproxy.port],
      };
    case 'redis-cluster-ha':
      return {
        url: endpoints.redisClusterHa.url,
        external: endpoints.redisClusterHa.external,
        ports: endpoints.redisClusterHa.nodes.map((n) => n.port),
      };
    case 'cassandra-ring':
      return {
        url: endpoints.cassandraRing.url,
        external: endpoints.cassandraRing.external,
        ports: [...new Set(endpoints.cassandraRing.contactPoints.map((c) => parseHostPort(c, 9042).port))],
      };
    case 'moto':
      return { url: endpoints.moto.url, external: endpoints.moto.external, ports: [endpoints.moto.port] };
    case 'postgres':
      return {
        url: endpoints.postgres.url,
        external: endpoints.postgres.external,
        ports: [endpoints.postgres.port],
      };
  }
}
