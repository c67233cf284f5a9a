import { expect, it } from 'vitest';
import { DEFAULT_SERVICE_NAMES, parseServiceNames, SERVICE_NAMES, serviceEndpoints } from '../src/index.ts';

it('defaults to the loopback ports this tool uses', () => {
  const e = serviceEndpoints({});
  expect(e.redis).toMatchObject({
    url: 'redis://127.0.0.1:16379',
    host: '127.0.0.1',
    port: 16379,
    external: false,
  });
  expect(e.redisCluster.nodes.map((n) => n.port)).toEqual([30001, 30002, 30003]);
  expect(e.dynalite).toMatchObject({ endpoint: 'http://127.0.0.1:18000', port: 18000, external: false });
  expect(e.kafka.brokers).toEqual(['127.0.0.1:19092']);
  expect(e.cassandra).toMatchObject({ contactPoints: ['127.0.0.1:19042'], localDataCenter: 'datacenter1' });
  expect(e.toxiproxy).toMatchObject({ url: 'http://127.0.0.1:18474', port: 18474 });
});

it('honours the GRANARY_* variables and marks those services external', () => {
  const e = serviceEndpoints({
    GRANARY_REDIS_URL: 'redis://:secret@cache.internal:6380/2',
    GRANARY_REDIS_CLUSTER_NODES: 'a:7000, b:7001,c',
    GRANARY_DYNAMODB_ENDPOINT: 'http://localhost:8000',
    GRANARY_KAFKA_BROKERS: 'k1:9092,k2:9092',
    GRANARY_CASSANDRA_CONTACT_POINTS: 'c1:9042',
    GRANARY_CASSANDRA_LOCAL_DC: 'dc-east',
    GRANARY_TOXIPROXY_URL: 'http://toxi:8474/',
  });
  expect(e.redis).toMatchObject({ host: 'cache.internal', port: 6380, external: true });
  expect(e.redisCluster.nodes).toEqual([
    { host: 'a', port: 7000 },
    { host: 'b', port: 7001 },
    { host: 'c', port: 6379 },
  ]);
  expect(e.dynalite).toMatchObject({ endpoint: 'http://localhost:8000', port: 8000, external: true });
  expect(e.kafka).toMatchObject({ brokers: ['k1:9092', 'k2:9092'], external: true });
  expect(e.cassandra).toMatchObject({
    contactPoints: ['c1:9042'],
    localDataCenter: 'dc-east',
    external: true,
  });
  expect(e.toxiproxy).toMatchObject({ url: 'http://toxi:8474', external: true });
});

it('parses service names: none means all, unknown ones throw', () => {
  expect(parseServiceNames([])).toEqual([...SERVICE_NAMES]);
  expect(parseServiceNames(['kafka', 'redis', 'kafka'])).toEqual(['kafka', 'redis']);
  expect(() => parseServiceNames(['mongo'])).toThrow(/unknown service "mongo"/);
});

it('places the topology services on their own ports and variables', () => {
  const e = serviceEndpoints({});
  expect(e.redisClusterHa.nodes.map((n) => n.port)).toEqual([31001, 31002, 31003, 31004, 31005, 31006]);
  expect(e.cassandraRing.contactPoints).toEqual(['127.0.0.1:19142', '127.0.0.2:19142', '127.0.0.3:19142']);
  expect(e.moto).toMatchObject({ endpoint: 'http://127.0.0.1:18100', port: 18100, external: false });
  expect(e.postgres).toMatchObject({ url: 'postgres://postgres@127.0.0.1:15432/postgres', port: 15432 });
  const mine = serviceEndpoints({
    GRANARY_POSTGRES_URL: 'postgres://me@db:6543/test',
    GRANARY_REDIS_CLUSTER_HA_NODES: 'r1:7000,r2:7000',
    GRANARY_CASSANDRA_RING_CONTACT_POINTS: 'n1:9042,n2:9042',
    GRANARY_MOTO_ENDPOINT: 'http://moto:5000',
  });
  expect(mine.redisClusterHa).toMatchObject({ external: true, url: 'r1:7000,r2:7000' });
  expect(mine.cassandraRing).toMatchObject({ external: true, contactPoints: ['n1:9042', 'n2:9042'] });
  expect(mine.moto).toMatchObject({ external: true, port: 5000 });
  expect(mine.postgres).toMatchObject({ external: true, host: 'db', port: 6543 });
});

it('`up` without names means the six default services, not the heavier topologies', () => {
  expect(parseServiceNames([], DEFAULT_SERVICE_NAMES)).toEqual([
    'redis',
    'redis-cluster',
    'dynalite',
    'kafka',
    'cassandra',
    'toxiproxy',
  ]);
  expect(SERVICE_NAMES).toEqual([
    ...DEFAULT_SERVICE_NAMES,
    'redis-cluster-ha',
    'cassandra-ring',
    'moto',
    'postgres',
  ]);
});
