import { type DurationInput, parseDuration, ValidationError } from '@granary/core';
import type { KafkaMaterializerOptions } from './materializer-options.js';

/**
 * The defaults of {@link KafkaMaterializerOptions}, in the options' own forms (durations as strings), so an
 * app's configuration can read them instead of restating them.
 */
export const MATERIALIZER_DEFAULTS = Object.freeze({
  fromBeginning: true,
  writeBatchSize: 1000,
  writeTimeout: '5s',
  maxFutureSkew: '5m',
  retryInitial: '250ms',
  retryMax: '10s',
  partitionsConsumedConcurrently: 4,
  lagInterval: '5s',
  initStore: true,
  /** kafkajs consumer settings; the two byte limits bound the memory held per fetch. */
  consumerConfig: Object.freeze({
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 10 * 1024 * 1024,
  }),
} as const);

/** The options after defaults and validation: durations in ms. Internal to the materializer. */
export interface MaterializerSettings {
  readonly fromBeginning: boolean;
  readonly writeBatchSize: number;
  readonly writeTimeoutMs: number;
  readonly maxFutureSkewMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** Undefined: commit after every batch only. */
  readonly commitIntervalMs: number | undefined;
  readonly partitionsConsumedConcurrently: number;
  readonly lagIntervalMs: number;
  readonly initStore: boolean;
}

function duration(input: DurationInput, path: string): number {
  const ms = parseDuration(input);
  if (ms === undefined) throw new ValidationError(`invalid duration ${JSON.stringify(input)}`, path);
  return ms;
}

/** Applies {@link MATERIALIZER_DEFAULTS} and checks the options; throws a ValidationError naming the option. */
export function resolveMaterializerSettings(options: KafkaMaterializerOptions): MaterializerSettings {
  const d = MATERIALIZER_DEFAULTS;
  if (options.topics.length === 0) throw new ValidationError('at least one topic is required', 'topics');
  const writeBatchSize = options.writeBatchSize ?? d.writeBatchSize;
  if (!Number.isInteger(writeBatchSize) || writeBatchSize < 1) {
    throw new ValidationError('must be a positive integer', 'writeBatchSize');
  }
  return {
    fromBeginning: options.fromBeginning ?? d.fromBeginning,
    writeBatchSize,
    writeTimeoutMs: duration(options.writeTimeout ?? d.writeTimeout, 'writeTimeout'),
    maxFutureSkewMs: duration(options.maxFutureSkew ?? d.maxFutureSkew, 'maxFutureSkew'),
    retryInitialMs: duration(options.retryInitial ?? d.retryInitial, 'retryInitial'),
    retryMaxMs: duration(options.retryMax ?? d.retryMax, 'retryMax'),
    commitIntervalMs:
      options.commitInterval === undefined ? undefined : duration(options.commitInterval, 'commitInterval'),
    partitionsConsumedConcurrently:
      options.partitionsConsumedConcurrently ?? d.partitionsConsumedConcurrently,
    lagIntervalMs: duration(options.lagInterval ?? d.lagInterval, 'lagInterval'),
    initStore: options.initStore ?? d.initStore,
  };
}
