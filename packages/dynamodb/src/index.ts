export { clientConfigFor } from './client.js';
export { createDynamoDbOnlineStore, type DynamoDbOnlineStore } from './dynamodb-online-store.js';
export type { DynamoDbOnlineStoreOptions } from './options.js';
export { featureAttributes, KEY_ATTRIBUTE, TTL_ATTRIBUTE } from './table-layout.js';
