import { cassandra } from './cassandra.ts';
import { cassandraRing } from './cassandra-ring.ts';
import { dynalite } from './dynalite.ts';
import { kafka } from './kafka.ts';
import { moto } from './moto.ts';
import type { ServiceName } from './names.ts';
import { postgres } from './postgres.ts';
import { redis } from './redis.ts';
import { redisCluster, redisClusterHa } from './redis-cluster.ts';
import type { ServiceDefinition } from './service.ts';
import { toxiproxy } from './toxiproxy.ts';

/** Every managed service by name. */
export const SERVICES: Readonly<Record<ServiceName, ServiceDefinition>> = {
  redis,
  'redis-cluster': redisCluster,
  dynalite,
  kafka,
  cassandra,
  toxiproxy,
  'redis-cluster-ha': redisClusterHa,
  'cassandra-ring': cassandraRing,
  moto,
  postgres,
};
