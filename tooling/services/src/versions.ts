/** Versions of the servers this tool fetches. Change them here only. */

/** Kafka broker (`org.apache.kafka:kafka_2.13`); kafkajs 2.2.4 speaks the 3.x protocol range. */
export const KAFKA_VERSION = '3.9.1';
/** The slf4j binding Kafka 3.9 logs through (matches its slf4j-api 1.7.36). */
export const SLF4J_RELOAD4J_VERSION = '1.7.36';
/** Cassandra (`org.apache.cassandra:cassandra-all`); 5.0 is the first line that runs on JDK 17. */
export const CASSANDRA_VERSION = '5.0.8';
/** Toxiproxy server; v2.13.0 needs Go 1.27, so v2.12.0 is the newest that builds on Go 1.26. */
export const TOXIPROXY_VERSION = 'v2.12.0';
/** maven-dependency-plugin used to copy the jars (pinned so every Maven version behaves alike). */
export const MAVEN_DEPENDENCY_PLUGIN_VERSION = '3.8.1';
/** The only Java major version Cassandra 5.0 is run on here. */
export const CASSANDRA_JAVA_MAJOR = 17;
/** moto's server (PyPI `moto[server]`), a second DynamoDB implementation; its whole environment is pinned in moto-requirements.txt. */
export const MOTO_VERSION = '5.2.5';
