export { createCassandraOnlineStore } from './cassandra-online-store.js';
export type { ConsistencyLevelName } from './consistency.js';
export type { CassandraOnlineStoreOptions, SpeculativeExecutionOptions } from './options.js';
export { cassandraSchemaCql, DEFAULT_TABLE_OPTIONS, type SchemaCqlOptions } from './schema-cql.js';
export { eventTimeFromWriteTime, TIE_BREAK_SLOTS, tieBreakSlot, writeTimestamp } from './write-timestamp.js';
