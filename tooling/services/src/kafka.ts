import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { LOCALHOST, PORTS } from './endpoints.ts';
import { ensureJars, type JarSet, jarSetCached } from './maven.ts';
import type { MissingPrerequisite } from './prerequisites.ts';
import type { ServiceDefinition } from './service.ts';
import { KAFKA_VERSION, SLF4J_RELOAD4J_VERSION } from './versions.ts';

export const KAFKA_JARS: JarSet = {
  name: `kafka-${KAFKA_VERSION}`,
  artifacts: [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: KAFKA_VERSION },
    { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: SLF4J_RELOAD4J_VERSION },
  ],
};

export const JAVA_INSTALL = 'apt-get install openjdk-17-jdk-headless';
export const MAVEN_INSTALL = 'apt-get install maven (needed once, to fetch jars from Maven Central)';

function serverProperties(dataDir: string): string {
  return `# Written by tooling/services: single-node KRaft (broker + controller) for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${LOCALHOST}:${PORTS.kafkaController}
listeners=PLAINTEXT://${LOCALHOST}:${PORTS.kafka},CONTROLLER://${LOCALHOST}:${PORTS.kafkaController}
advertised.listeners=PLAINTEXT://${LOCALHOST}:${PORTS.kafka}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${join(dataDir, 'logs')}
num.partitions=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=9223372036854775807
num.network.threads=2
num.io.threads=2
`;
}

const LOG4J = `# Written by tooling/services: warnings only, plus the broker's lifecycle.
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
`;

/** A kafkajs client that fails fast and logs nothing (for probes). */
function probeClient(brokers: readonly string[], timeoutMs: number): Kafka {
  return new Kafka({
    clientId: 'granary-services-probe',
    brokers: [...brokers],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
}

/** Kafka 3.9 in KRaft combined mode from Maven Central jars, data wiped each start. */
export const kafka: ServiceDefinition = {
  name: 'kafka',
  startTimeoutMs: 120_000,
  stopGraceMs: 30_000,
  localPorts: () => [PORTS.kafka, PORTS.kafkaController],
  async prerequisites(toolbox, cacheDir) {
    const missing: MissingPrerequisite[] = [];
    if (!(await toolbox.javaForKafka())) {
      missing.push({ service: 'kafka', what: 'no Java 11-23 (17 preferred) found', install: JAVA_INSTALL });
    }
    if (!jarSetCached(cacheDir, KAFKA_JARS) && !toolbox.which('mvn')) {
      missing.push({ service: 'kafka', what: '`mvn` is not on PATH', install: MAVEN_INSTALL });
    }
    return missing;
  },
  async start(ctx) {
    const java = await ctx.toolbox.javaForKafka();
    if (!java) throw new Error('no Java found');
    const lib = await ensureJars(ctx.cacheDir, KAFKA_JARS, ctx.log);
    mkdirSync(join(ctx.paths.dataDir, 'logs'), { recursive: true });
    const properties = join(ctx.paths.runDir, 'server.properties');
    const log4j = join(ctx.paths.runDir, 'log4j.properties');
    writeFileSync(properties, serverProperties(ctx.paths.dataDir));
    writeFileSync(log4j, LOG4J);
    const common = [
      `-Dlog4j.configuration=file:${log4j}`,
      `-Dkafka.logs.dir=${ctx.paths.runDir}`,
      '-Djava.awt.headless=true',
      '-cp',
      join(lib, '*'),
    ];
    const clusterId = randomBytes(16).toString('base64url');
    await ctx.run(
      'format',
      java.path,
      ['-Xmx256m', ...common, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties],
      { timeoutMs: 60_000 },
    );
    await ctx.spawn('kafka', java.path, [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      ...common,
      'kafka.Kafka',
      properties,
    ]);
  },
  async probe(endpoints, { timeoutMs, deep }) {
    const admin = probeClient(endpoints.kafka.brokers, timeoutMs).admin();
    await admin.connect();
    try {
      await admin.listTopics();
      if (deep) {
        const topic = `__granary_probe_${randomBytes(6).toString('hex')}`;
        await admin.createTopics({
          topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
          waitForLeaders: true,
        });
        await admin.deleteTopics({ topics: [topic], timeout: timeoutMs });
        // Finding a group coordinator creates __consumer_offsets; until it is loaded, consumers that join a
        // group fail ("coordinator is loading"). Ready means groups work too.
        await admin.describeGroups(['__granary_probe']);
      }
    } finally {
      await admin.disconnect();
    }
  },
};
