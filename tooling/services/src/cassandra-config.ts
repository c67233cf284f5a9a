import { join } from 'node:path';
import { LOCALHOST, PORTS } from './endpoints.ts';

/** Where one node listens and whom it asks to join; the single test node's by default. */
export interface CassandraNodeConfig {
  readonly clusterName: string;
  readonly address: string;
  readonly storagePort: number;
  readonly nativePort: number;
  /** `host:port` of the seed nodes. */
  readonly seeds: string;
  /** The node's one token (`num_tokens: 1`), for an even ring; none lets Cassandra pick. */
  readonly initialToken?: string;
  /** Server-side read and write request timeouts (Cassandra's defaults: 5 s and 2 s). */
  readonly requestTimeoutMs?: number;
}

const SINGLE_NODE: CassandraNodeConfig = {
  clusterName: 'granary-test',
  address: LOCALHOST,
  storagePort: PORTS.cassandraStorage,
  nativePort: PORTS.cassandra,
  seeds: `${LOCALHOST}:${PORTS.cassandraStorage}`,
};

/**
 * A minimal cassandra.yaml for one fast-starting test node (alone, or one node of a ring). Cassandra 5.0 rejects
 * unknown keys, so only keys it knows are here. Small memtables and no caches keep a small heap comfortable.
 * A ring's nodes join with `auto_bootstrap: false` (they start empty, so there is nothing to stream).
 */
export function cassandraYaml(dataDir: string, node: CassandraNodeConfig = SINGLE_NODE): string {
  const token =
    node.initialToken === undefined ? '' : `initial_token: ${node.initialToken}\nauto_bootstrap: false\n`;
  const timeouts =
    node.requestTimeoutMs === undefined
      ? ''
      : `read_request_timeout: ${node.requestTimeoutMs}ms\nwrite_request_timeout: ${node.requestTimeoutMs}ms\n`;
  return `# Written by tooling/services: a Cassandra node for tests, data wiped on every start of the service.
cluster_name: ${node.clusterName}
num_tokens: 1
${token}partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
listen_address: ${node.address}
rpc_address: ${node.address}
storage_port: ${node.storagePort}
native_transport_port: ${node.nativePort}
start_native_transport: true
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${node.seeds}"
data_file_directories:
  - ${join(dataDir, 'data')}
commitlog_directory: ${join(dataDir, 'commitlog')}
saved_caches_directory: ${join(dataDir, 'saved_caches')}
hints_directory: ${join(dataDir, 'hints')}
cdc_raw_directory: ${join(dataDir, 'cdc_raw')}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 8MiB
auto_snapshot: false
snapshot_before_compaction: false
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
dynamic_snitch: false
storage_compatibility_mode: NONE
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
memtable_heap_space: 64MiB
memtable_offheap_space: 64MiB
key_cache_size: 0MiB
counter_cache_size: 0MiB
${timeouts}`;
}

/** Logback config: warnings only (Cassandra's INFO output is large). */
export const CASSANDRA_LOGBACK = `<!-- Written by tooling/services. -->
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
  <logger name="org.apache.cassandra.service.StorageService" level="INFO"/>
</configuration>
`;

/** The module flags of Cassandra's conf/jvm17-server.options; without them the JVM dies at start. */
export const JDK17_FLAGS: readonly string[] = [
  ...[
    'java.base/jdk.internal.misc',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.attach/sun.tools.attach',
    'java.management/com.sun.jmx.remote.security',
  ].map((p) => `--add-exports=${p}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.nio',
    'java.base/java.lang.reflect',
    'java.base/java.lang',
    'java.base/java.util',
    'jdk.management/com.sun.management.internal',
    'jdk.compiler/com.sun.tools.javac',
  ].map((p) => `--add-opens=${p}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
];
