export { CASSANDRA_RING_HEAP, cassandraRingLabel } from './cassandra-ring.ts';
export { type DownResult, down } from './down.ts';
export {
  CASSANDRA_LOCAL_DC_VAR,
  CASSANDRA_RING_HOSTS,
  type CassandraEndpoint,
  type DynamoEndpoint,
  ENV_VARS,
  type HostPort,
  PORTS,
  type ServiceEndpoints,
  serviceEndpoints,
} from './endpoints.ts';
export { ensureServices } from './ensure.ts';
export { ServiceError, ServicesError } from './errors.ts';
export { DEFAULT_SERVICE_NAMES, parseServiceNames, SERVICE_NAMES, type ServiceName } from './names.ts';
export {
  restartServiceProcess,
  type ServiceProcess,
  serviceProcesses,
  signalServiceProcess,
  waitForService,
} from './node-control.ts';
export { freePort } from './ports.ts';
export { deleteRedisKeysByPrefix } from './redis-cleanup.ts';
export { SOURCE_LOADER } from './source-loader-path.ts';
export { type ServiceStatus, status } from './status.ts';
export {
  type CreateProxyOptions,
  createProxy,
  type ProxyHandle,
  removeProxies,
  resetProxies,
} from './toxiproxy-client.ts';
export { type ServiceOptions, type UpResult, up } from './up.ts';
export { CASSANDRA_VERSION, KAFKA_VERSION, MOTO_VERSION, TOXIPROXY_VERSION } from './versions.ts';
