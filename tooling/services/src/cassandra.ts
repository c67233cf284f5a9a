import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import cassandraDriver from 'cassandra-driver';
import { CASSANDRA_LOGBACK, cassandraYaml, JDK17_FLAGS } from './cassandra-config.ts';
import { PORTS } from './endpoints.ts';
import { JAVA_INSTALL, MAVEN_INSTALL } from './kafka.ts';
import { ensureJars, type JarSet, jarSetCached } from './maven.ts';
import type { MissingPrerequisite } from './prerequisites.ts';
import type { ServiceDefinition } from './service.ts';
import { CASSANDRA_JAVA_MAJOR, CASSANDRA_VERSION } from './versions.ts';

export const CASSANDRA_JARS: JarSet = {
  name: `cassandra-${CASSANDRA_VERSION}`,
  artifacts: [{ groupId: 'org.apache.cassandra', artifactId: 'cassandra-all', version: CASSANDRA_VERSION }],
};

/** Cassandra 5.0 (one node, CassandraDaemon) from Maven Central jars on JDK 17, data wiped each start. */
export const cassandra: ServiceDefinition = {
  name: 'cassandra',
  startTimeoutMs: 180_000,
  stopGraceMs: 30_000,
  localPorts: () => [PORTS.cassandra, PORTS.cassandraStorage, PORTS.cassandraJmx],
  async prerequisites(toolbox, cacheDir) {
    const missing: MissingPrerequisite[] = [];
    if (!(await toolbox.java17())) {
      missing.push({
        service: 'cassandra',
        what: `no JDK ${CASSANDRA_JAVA_MAJOR} found ($JAVA_HOME, PATH, /usr/lib/jvm); Cassandra 5.0 needs exactly ${CASSANDRA_JAVA_MAJOR}`,
        install: JAVA_INSTALL,
      });
    }
    if (!jarSetCached(cacheDir, CASSANDRA_JARS) && !toolbox.which('mvn')) {
      missing.push({ service: 'cassandra', what: '`mvn` is not on PATH', install: MAVEN_INSTALL });
    }
    return missing;
  },
  async start(ctx) {
    const java = await ctx.toolbox.java17();
    if (!java) throw new Error(`no JDK ${CASSANDRA_JAVA_MAJOR} found`);
    const lib = await ensureJars(ctx.cacheDir, CASSANDRA_JARS, ctx.log);
    for (const dir of ['data', 'commitlog', 'saved_caches', 'hints', 'cdc_raw', 'triggers']) {
      mkdirSync(join(ctx.paths.dataDir, dir), { recursive: true });
    }
    const yaml = join(ctx.paths.runDir, 'cassandra.yaml');
    const logback = join(ctx.paths.runDir, 'logback.xml');
    writeFileSync(yaml, cassandraYaml(ctx.paths.dataDir));
    writeFileSync(logback, CASSANDRA_LOGBACK);
    await ctx.spawn('cassandra', java.path, [
      '-Xms1G',
      '-Xmx1G',
      '-Xss512k',
      '-XX:+UseG1GC',
      '-XX:+ExitOnOutOfMemoryError',
      ...JDK17_FLAGS,
      `-Dcassandra.config=${pathToFileURL(yaml).href}`,
      `-Dlogback.configurationFile=${logback}`,
      `-Dcassandra.logdir=${ctx.paths.runDir}`,
      `-Dcassandra.storagedir=${ctx.paths.dataDir}`,
      `-Dcassandra.triggers_dir=${join(ctx.paths.dataDir, 'triggers')}`,
      '-Dcassandra-foreground=yes',
      '-Dcassandra.unsafesystem=true',
      '-Dcassandra.skip_wait_for_gossip_to_settle=0',
      '-Dcassandra.ring_delay_ms=0',
      '-Dcassandra.superuser_setup_delay_ms=0',
      `-Dcassandra.jmx.local.port=${PORTS.cassandraJmx}`,
      '-Djava.net.preferIPv4Stack=true',
      '-Djdk.attach.allowAttachSelf=true',
      '-Djava.awt.headless=true',
      '-cp',
      join(lib, '*'),
      'org.apache.cassandra.service.CassandraDaemon',
    ]);
  },
  async probe(endpoints, { timeoutMs }) {
    const client = new cassandraDriver.Client({
      contactPoints: [...endpoints.cassandra.contactPoints],
      localDataCenter: endpoints.cassandra.localDataCenter,
      socketOptions: { connectTimeout: timeoutMs, readTimeout: timeoutMs },
    });
    try {
      await client.connect();
      const result = await client.execute('SELECT release_version FROM system.local');
      if (!result.first()) throw new Error('system.local returned no row');
    } finally {
      await client.shutdown();
    }
  },
};
