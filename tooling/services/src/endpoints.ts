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
} as const;

export const LOCALHOST = '127.0.0.1';

/** The variable that points tests at a server of the user's own instead of the one this tool starts. */
export const ENV_VARS = {
  redis: 'GRANARY_REDIS_URL',
  'redis-cluster': 'GRANARY_REDIS_CLUSTER_NODES',
  dynalite: 'GRANARY_DYNAMODB_ENDPOINT',
  kafka: 'GRANARY_KAFKA_BROKERS',
  cassandra: 'GRANARY_CASSANDRA_CONTACT_POINTS',
  toxiproxy: 'GRANARY_TOXIPROXY_URL',
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

/** How to reach each service: the user's servers where a `GRANARY_*` variable is set, else this tool's. */
export interface ServiceEndpoints {
  readonly redis: Common & HostPort;
  readonly redisCluster: Common & { readonly nodes: readonly HostPort[] };
  readonly dynalite: Common &
    HostPort & {
      /** For `new DynamoDBClient({ endpoint })`. */
      readonly endpoint: string;
      /** `AWS_REGION`, default `us-east-1`. */
      readonly region: string;
      /** `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, default dummy keys (dynalite accepts any). */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    };
  readonly kafka: Common & { readonly brokers: readonly string[] };
  readonly cassandra: Common & {
    /** `host:port` strings, as cassandra-driver's `contactPoints` takes them. */
    readonly contactPoints: readonly string[];
    /** `GRANARY_CASSANDRA_LOCAL_DC`, default `datacenter1`. */
    readonly localDataCenter: string;
  };
  readonly toxiproxy: Common & HostPort;
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

/**
 * Where each service is. Reads the `GRANARY_*` variables (see README) and falls back to the loopback ports
 * this tool uses. Pure: it starts and checks nothing (see `ensureServices`).
 */
export function serviceEndpoints(env: Env = process.env): ServiceEndpoints {
  const redisUrl = given(env, ENV_VARS.redis);
  const clusterNodes = given(env, ENV_VARS['redis-cluster']);
  const dynamo = given(env, ENV_VARS.dynalite);
  const brokers = given(env, ENV_VARS.kafka);
  const contactPoints = given(env, ENV_VARS.cassandra);
  const toxiproxy = given(env, ENV_VARS.toxiproxy);

  const redisValue = redisUrl ?? `redis://${LOCALHOST}:${PORTS.redis}`;
  const nodes = clusterNodes
    ? splitList(clusterNodes).map((n) => parseHostPort(n, 6379))
    : PORTS.redisCluster.map((port) => ({ host: LOCALHOST, port }));
  const dynamoValue = dynamo ?? `http://${LOCALHOST}:${PORTS.dynalite}`;
  const brokerList = brokers ? splitList(brokers) : [`${LOCALHOST}:${PORTS.kafka}`];
  const points = contactPoints ? splitList(contactPoints) : [`${LOCALHOST}:${PORTS.cassandra}`];
  const toxiValue = toxiproxy ?? `http://${LOCALHOST}:${PORTS.toxiproxy}`;

  return {
    redis: {
      url: redisValue,
      external: redisUrl !== undefined,
      ...urlHostPort(redisValue, 6379, ENV_VARS.redis),
    },
    redisCluster: {
      url: nodes.map((n) => `${n.host}:${n.port}`).join(','),
      external: clusterNodes !== undefined,
      nodes,
    },
    dynalite: {
      url: dynamoValue,
      endpoint: dynamoValue,
      external: dynamo !== undefined,
      ...urlHostPort(dynamoValue, 443, ENV_VARS.dynalite),
      region: given(env, 'AWS_REGION') ?? 'us-east-1',
      credentials: {
        accessKeyId: given(env, 'AWS_ACCESS_KEY_ID') ?? 'granary',
        secretAccessKey: given(env, 'AWS_SECRET_ACCESS_KEY') ?? 'granary',
      },
    },
    kafka: { url: brokerList.join(','), external: brokers !== undefined, brokers: brokerList },
    cassandra: {
      url: points.join(','),
      external: contactPoints !== undefined,
      contactPoints: points,
      localDataCenter: given(env, CASSANDRA_LOCAL_DC_VAR) ?? 'datacenter1',
    },
    toxiproxy: {
      url: toxiValue.replace(/\/+$/, ''),
      external: toxiproxy !== undefined,
      ...urlHostPort(toxiValue, 8474, ENV_VARS.toxiproxy),
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
  }
}
