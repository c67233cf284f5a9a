export type { RedisClient } from './connection.js';
export {
  createRedisKeyLayout,
  DEFAULT_KEY_PREFIX,
  FIELD_ID_LENGTH,
  featureFieldId,
  REDIS_LAYOUT_VERSION,
  type RedisKeyLayout,
  WRITTEN_AT_FIELD,
} from './key-layout.js';
export type { RedisClusterConnection, RedisOnlineStoreOptions } from './options.js';
export { createRedisOnlineStore, type RedisOnlineStore } from './redis-online-store.js';
export { decodeCell, decodeEventTime, encodeCell, encodeEventTime } from './stored-cell.js';
