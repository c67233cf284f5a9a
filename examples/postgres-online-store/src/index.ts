export { toStoreError } from './errors.js';
export { POSTGRES_STORE_DEFAULTS, type PostgresOnlineStoreOptions } from './options.js';
export { createPostgresOnlineStore, type PostgresOnlineStore } from './postgres-online-store.js';
export { quoteIdentifier } from './sql.js';
