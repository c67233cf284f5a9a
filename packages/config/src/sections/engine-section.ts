import { ENGINE_DEFAULTS } from '@granary/core';
import { type StaticDecode, Type } from 'typebox';
import { bool, duration, falseOr, int, ms, num, path, section } from '../schema/fields.js';
import { engineOptions } from './engine-options.js';

const D = ENGINE_DEFAULTS;
const opt = Type.Optional;

/** `engine.populationStats`: the auditor's statistics file, served by the `population` fallback step. */
export const populationStatsSection = falseOr(
  section(
    {
      path: path({ description: 'The statistics file (granary-auditor --publish-stats).' }),
      refreshInterval: duration({
        description: 'How often the file is re-read; 0s disables.',
        default: ms(D.populationStats.refreshIntervalMs),
      }),
      maxAge: opt(
        duration({
          positive: true,
          description: 'Statistics computed longer ago are not served.',
          defaultText: 'no limit',
        }),
      ),
    },
    { description: 'Population statistics file.' },
  ),
  {
    description: 'Population statistics for the population fallback step, or false. Default: none.',
    off: true,
  },
);

/** The fields of the `engine` section, in the file's names. */
export const engineFields = section(
  {
    deadline: duration({
      positive: true,
      description: 'Deadline of a request that sets none.',
      default: ms(D.deadlineMs),
    }),
    maxDeadline: duration({
      positive: true,
      description: 'Largest deadline a request may ask for.',
      default: ms(D.maxDeadlineMs),
    }),
    maxEntitiesPerRequest: int({
      min: 1,
      description: 'Largest number of entities in one request.',
      default: D.maxEntitiesPerRequest,
    }),
    storeTimeout: duration({
      positive: true,
      description: 'Timeout of one store read.',
      default: ms(D.storeTimeoutMs),
    }),
    coalescing: bool({ description: 'Single flight per (view, key).', default: D.coalescing }),
    batching: bool({ description: 'Micro-batching per view.', default: D.batching }),
    batchWindow: duration({ description: 'Micro-batch window.', default: ms(D.batchWindowMs) }),
    maxBatchSize: int({
      min: 1,
      description: 'Key reads that make a batch dispatch at once.',
      default: D.maxBatchSize,
    }),
    negativeCache: falseOr(
      section(
        {
          notFoundTtl: duration({
            description: 'TTL of remembered NOT_FOUND answers (0s: off).',
            default: ms(D.negativeCache.notFoundTtlMs),
          }),
          failureTtl: duration({
            description: 'TTL of remembered read failures (0s: off).',
            default: ms(D.negativeCache.failureTtlMs),
          }),
          maxEntries: int({
            min: 1,
            description: 'Largest number of entries.',
            default: D.negativeCache.maxEntries,
          }),
        },
        { description: 'Negative cache.' },
      ),
      { description: 'Negative cache of absent keys and failures, or false.' },
    ),
    hotKeys: falseOr(
      section(
        {
          capacity: int({ min: 1, description: 'Keys tracked per view.', default: D.hotKeys.capacity }),
          halfLife: duration({
            positive: true,
            description: 'Half-life of the decaying window.',
            default: ms(D.hotKeys.halfLifeMs),
          }),
          minCount: num({
            min: 0,
            description: "A hot key's guaranteed decayed count is at least this.",
            default: D.hotKeys.minCount,
          }),
          minShare: num({
            min: 0,
            max: 1,
            description: "A hot key's guaranteed share of the view's traffic.",
            default: D.hotKeys.minShare,
          }),
        },
        { description: 'Hot-key detection.' },
      ),
      { description: 'Hot-key detection (and with it the near cache), or false.' },
    ),
    nearCache: falseOr(
      section(
        {
          ttl: duration({
            positive: true,
            description: 'Longest time a value stays cached (never past maxAge).',
            default: ms(D.nearCache.ttlMs),
          }),
          maxEntries: int({
            min: 1,
            description: 'Largest number of entries.',
            default: D.nearCache.maxEntries,
          }),
          refreshAheadRatio: num({
            min: 0,
            max: 1,
            exclusive: true,
            description: 'Share of the TTL after which one refresh runs.',
            default: D.nearCache.refreshAheadRatio,
          }),
        },
        { description: 'Near cache of hot keys.' },
      ),
      { description: 'Near cache of hot keys, or false.' },
    ),
    lastKnownGood: falseOr(
      section(
        {
          maxEntries: int({
            min: 1,
            description: 'Values kept per (view, key).',
            default: D.lastKnownGood.maxEntries,
          }),
        },
        { description: 'Last-known-good values.' },
      ),
      { description: 'Last-known-good fallback step, or false.' },
    ),
    heartbeat: falseOr(
      section(
        {
          interval: opt(
            duration({
              positive: true,
              description: 'Probe interval of every view.',
              defaultText: "each view's heartbeatInterval",
            }),
          ),
          timeout: duration({
            positive: true,
            description: 'Timeout of one probe read.',
            default: ms(D.heartbeat.timeoutMs),
          }),
        },
        { description: 'Heartbeat probe.' },
      ),
      { description: 'Heartbeat probe of the pipeline, or false.' },
    ),
    circuitBreaker: section(
      {
        disabled: bool({ description: 'Turn the breaker off.', default: false }),
        consecutiveFailures: int({
          min: 1,
          description: 'Consecutive failed reads that open the circuit.',
          default: D.circuitBreaker.consecutiveFailures,
        }),
        halfOpenAfter: duration({
          positive: true,
          description: 'Time open before one trial read.',
          default: ms(D.circuitBreaker.halfOpenAfterMs),
        }),
        deadlineCountsAfter: duration({
          description: 'A deadline-cut read fails the store only if it had this long.',
          default: ms(D.circuitBreaker.deadlineCountsAfterMs),
        }),
      },
      { description: 'Circuit breaker of each store.' },
    ),
    freshness: section(
      {
        shortWindow: duration({
          positive: true,
          description: 'Short SLO burn-rate window.',
          default: ms(D.freshness.shortWindowMs),
        }),
        longWindow: duration({
          positive: true,
          description: 'Long SLO burn-rate window.',
          default: ms(D.freshness.longWindowMs),
        }),
        slot: duration({
          positive: true,
          description: 'Resolution of the windows.',
          default: ms(D.freshness.slotMs),
        }),
        breachBurnRate: num({
          min: 0,
          description: 'Burn rate in both windows that means BREACHED.',
          default: D.freshness.breachBurnRate,
        }),
        atRiskBurnRate: num({
          min: 0,
          description: 'Burn rate in either window that means AT_RISK.',
          default: D.freshness.atRiskBurnRate,
        }),
        minSamples: int({
          min: 0,
          description: 'Samples a window needs to count.',
          default: D.freshness.minSamples,
        }),
      },
      { description: 'Freshness windows and verdict thresholds.' },
    ),
    hedgeDelay: opt(
      duration({
        description: 'Hedge a primary read to store.secondary after this long (needs store.secondary).',
        defaultText: 'no hedging',
      }),
    ),
    populationStats: populationStatsSection,
  },
  { description: 'The serving engine.' },
);

/**
 * The serving engine's settings (`createFeatureServer` of @granary/core). Every default is read from core's
 * `ENGINE_DEFAULTS`; durations are strings with units in the file. Loaded, the section is the engine's own
 * options (`deadline: 50ms` becomes `deadlineMs: 50`), plus `populationStats` for the app to create.
 */
export const engineSection = Type.Decode(engineFields, (e) => ({
  ...engineOptions(e),
  populationStats: e.populationStats,
}));

/** The loaded `engine` section: `createFeatureServer` options and the population statistics file. */
export type EngineConfig = StaticDecode<typeof engineSection>;
