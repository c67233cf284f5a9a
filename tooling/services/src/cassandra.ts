import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import cassandraDriver from 'cassandra-driver';
import {
  CASSANDRA_LOGBACK,
  type CassandraNodeConfig,
  cassandraYaml,
  JDK17_FLAGS,
} from './cassandra-config.ts';
import { PORTS } from './endpoints.ts';
import { JAVA_INSTALL, MAVEN_INSTALL } from './kafka.ts';
import { ensureJars, type JarSet, jarSetCached } from './maven.ts';
import type { ServiceName } from './names.ts';
import type { MissingPrerequisite } from './prerequisites.ts';
import type { ProcessRecord } from './process.ts';
import type { ServiceDefinition, StartContext } from './service.ts';
import type { Toolbox } from './toolbox.ts';
import { CASSANDRA_JAVA_MAJOR, CASSANDRA_VERSION } from './versions.ts';

export const CASSANDRA_JARS: JarSet = {
  name: `cassandra-${CASSANDRA_VERSION}`,
  artifacts: [{ groupId: 'org.apache.cassandra', artifactId: 'cassandra-all', version: CASSANDRA_VERSION }],
};

/** What a Cassandra service needs: JDK 17, and `mvn` until the jars are cached. */
export async function cassandraPrerequisites(
  service: ServiceName,
  toolbox: Toolbox,
  cacheDir: string,
): Promise<MissingPrerequisite[]> {
  const missing: MissingPrerequisite[] = [];
  if (!(await toolbox.java17())) {
    missing.push({
      service,
      what: `no JDK ${CASSANDRA_JAVA_MAJOR} found ($JAVA_HOME, PATH, /usr/lib/jvm); Cassandra 5.0 needs exactly ${CASSANDRA_JAVA_MAJOR}`,
      install: JAVA_INSTALL,
    });
  }
  if (!jarSetCached(cacheDir, CASSANDRA_JARS) && !toolbox.which('mvn')) {
    missing.push({ service, what: '`mvn` is not on PATH', install: MAVEN_INSTALL });
  }
  return missing;
}

/** One Cassandra JVM to spawn: its label, folders, heap and JMX port. */
export interface CassandraNodeSpec {
  readonly label: string;
  /** Holds cassandra.yaml, logback.xml and the node's log. */
  readonly configDir: string;
  /** data, commitlog, saved_caches, hints, cdc_raw, triggers. */
  readonly dataDir: string;
  /** `-Xms`/`-Xmx`, e.g. `1G`. */
  readonly heap: string;
  readonly jmxPort: number;
  readonly node?: CassandraNodeConfig;
  /**
   * `-Dcassandra.unsafesystem=true`: system tables skip the commit log (faster schema changes). Only for a node
   * that is never killed and restarted: with it, a killed node forgets the schema it had. Default true.
   */
  readonly unsafeSystem?: boolean;
  /**
   * `-Dcassandra.ring_delay_ms`: also the longest a joining node waits for a seed's answer in its shadow round
   * (with 0, a second node started on a busy machine fails with "Unable to gossip with any peers"). Default 0.
   */
  readonly ringDelayMs?: number;
  /** More `-D` system properties. Default: none. */
  readonly properties?: readonly string[];
}

/** Writes a node's config and spawns its CassandraDaemon (foreground, recorded by `ctx.spawn`). */
export async function spawnCassandraNode(ctx: StartContext, spec: CassandraNodeSpec): Promise<ProcessRecord> {
  const java = await ctx.toolbox.java17();
  if (!java) throw new Error(`no JDK ${CASSANDRA_JAVA_MAJOR} found`);
  const lib = await ensureJars(ctx.cacheDir, CASSANDRA_JARS, ctx.log);
  for (const dir of ['data', 'commitlog', 'saved_caches', 'hints', 'cdc_raw', 'triggers']) {
    mkdirSync(join(spec.dataDir, dir), { recursive: true });
  }
  mkdirSync(spec.configDir, { recursive: true });
  const yaml = join(spec.configDir, 'cassandra.yaml');
  const logback = join(spec.configDir, 'logback.xml');
  writeFileSync(yaml, cassandraYaml(spec.dataDir, spec.node));
  writeFileSync(logback, CASSANDRA_LOGBACK);
  return ctx.spawn(spec.label, java.path, [
    `-Xms${spec.heap}`,
    `-Xmx${spec.heap}`,
    '-Xss512k',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    ...JDK17_FLAGS,
    `-Dcassandra.config=${pathToFileURL(yaml).href}`,
    `-Dlogback.configurationFile=${logback}`,
    `-Dcassandra.logdir=${spec.configDir}`,
    `-Dcassandra.storagedir=${spec.dataDir}`,
    `-Dcassandra.triggers_dir=${join(spec.dataDir, 'triggers')}`,
    '-Dcassandra-foreground=yes',
    ...(spec.unsafeSystem === false ? [] : ['-Dcassandra.unsafesystem=true']),
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    `-Dcassandra.ring_delay_ms=${spec.ringDelayMs ?? 0}`,
    '-Dcassandra.superuser_setup_delay_ms=0',
    `-Dcassandra.jmx.local.port=${spec.jmxPort}`,
    ...(spec.properties ?? []),
    '-Djava.net.preferIPv4Stack=true',
    '-Djdk.attach.allowAttachSelf=true',
    '-Djava.awt.headless=true',
    '-cp',
    join(lib, '*'),
    'org.apache.cassandra.service.CassandraDaemon',
  ]);
}

/** Runs `fn` with a driver client on `contactPoints` (only those hosts when `only` is set), then shuts it down. */
export async function withCassandraClient<T>(
  contactPoints: readonly string[],
  localDataCenter: string,
  timeoutMs: number,
  fn: (client: cassandraDriver.Client) => Promise<T>,
  only = false,
): Promise<T> {
  const { loadBalancing } = cassandraDriver.policies;
  const client = new cassandraDriver.Client({
    contactPoints: [...contactPoints],
    localDataCenter,
    socketOptions: { connectTimeout: timeoutMs, readTimeout: timeoutMs },
    ...(only && {
      policies: {
        loadBalancing: new loadBalancing.AllowListPolicy(
          new loadBalancing.DCAwareRoundRobinPolicy(localDataCenter),
          [...contactPoints],
        ),
      },
    }),
  });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.shutdown();
  }
}

/** Cassandra 5.0 (one node, CassandraDaemon) from Maven Central jars on JDK 17, data wiped each start. */
export const cassandra: ServiceDefinition = {
  name: 'cassandra',
  startTimeoutMs: 180_000,
  stopGraceMs: 30_000,
  localPorts: () => [PORTS.cassandra, PORTS.cassandraStorage, PORTS.cassandraJmx],
  prerequisites: (toolbox, cacheDir) => cassandraPrerequisites('cassandra', toolbox, cacheDir),
  async start(ctx) {
    await spawnCassandraNode(ctx, {
      label: 'cassandra',
      configDir: ctx.paths.runDir,
      dataDir: ctx.paths.dataDir,
      heap: '1G',
      jmxPort: PORTS.cassandraJmx,
    });
  },
  async probe(endpoints, { timeoutMs }) {
    const { contactPoints, localDataCenter } = endpoints.cassandra;
    await withCassandraClient(contactPoints, localDataCenter, timeoutMs, async (client) => {
      const result = await client.execute('SELECT release_version FROM system.local');
      if (!result.first()) throw new Error('system.local returned no row');
    });
  },
};
