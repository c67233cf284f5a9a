export { createDuckDbOfflineStore } from './duckdb-offline-store.js';
export { type DuckDbOfflineStoreOptions, isRemotePath } from './options.js';
export { type ParquetRow, type WriteParquetOptions, writeParquet } from './write-parquet.js';
