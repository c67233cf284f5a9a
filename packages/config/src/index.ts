export { displayDefault, type HelpTextOptions, helpText, settingsTable } from './cli/help-text.js';
export { type FlagDefinition, type ParsedFlags, parseFlags, UsageError } from './cli/parse-flags.js';
export {
  README_SETTINGS_END,
  README_SETTINGS_START,
  syncReadmeSettings,
  withSettingsTable,
} from './cli/readme-settings.js';
export {
  type CreateKafkaClientOptions,
  createKafkaClient,
  type KafkaClientLogger,
} from './factories/create-kafka-client.js';
export { createServedLogFromConfig } from './factories/create-served-log.js';
export {
  createStatsProviderFromConfig,
  type PopulationStatsConfig,
} from './factories/create-stats-provider.js';
export { type CreateStoreOptions, createStoreFromConfig } from './factories/create-store-from-config.js';
export type { ConfigProblem, Source } from './load/config-source.js';
export { envName, type Override } from './load/env-overrides.js';
export {
  type ConfigDefinition,
  type ConfigRule,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  problemAt,
} from './load/load-config.js';
export { redactConfig } from './load/redact.js';
export { type Rename, renamesUnder } from './load/renames.js';
export type { FieldKind, FieldOptions } from './schema/fields.js';
export * as field from './schema/fields.js';
export { formatPath, type Segment } from './schema/schema-walk.js';
export { definedOnly } from './schema/values.js';
export {
  DEFAULT_METRICS_PORTS,
  LOG_LEVELS,
  logSection,
  REGISTRY_FILE_RENAME,
  registrySection,
} from './sections/common-sections.js';
export type { EngineSettings } from './sections/engine-options.js';
export { type EngineConfig, engineSection, populationStatsSection } from './sections/engine-section.js';
export { checkSasl, type KafkaConnectionConfig, kafkaConnectionFields } from './sections/kafka-connection.js';
export {
  checkServedLog,
  SERVED_LOG_RENAMES,
  type ServedLogConfig,
  servedLogSection,
} from './sections/served-log-section.js';
export {
  checkSingleStore,
  checkStore,
  checkStoreSection,
  STORE_TYPES,
  type StoreConfig,
  type StoreSectionConfig,
  type StoreType,
  secondaryStoreSection,
  storeRenames,
  storeSection,
} from './sections/store-section.js';
