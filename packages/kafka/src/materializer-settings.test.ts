import { describe, expect, it } from 'vitest';
import type { KafkaMaterializerOptions } from './materializer-options.js';
import { MATERIALIZER_DEFAULTS, resolveMaterializerSettings } from './materializer-settings.js';

// Only the fields the settings read; the materializer's own tests pass real clients.
const base = { topics: ['events'] } as unknown as KafkaMaterializerOptions;

describe('resolveMaterializerSettings', () => {
  it('applies the documented defaults, durations in ms', () => {
    expect(resolveMaterializerSettings(base)).toEqual({
      fromBeginning: true,
      writeBatchSize: 1000,
      writeTimeoutMs: 5000,
      maxFutureSkewMs: 300_000,
      retryInitialMs: 250,
      retryMaxMs: 10_000,
      commitIntervalMs: undefined,
      partitionsConsumedConcurrently: 4,
      lagIntervalMs: 5000,
      initStore: true,
    });
    expect(MATERIALIZER_DEFAULTS.consumerConfig.maxBytes).toBe(10 * 1024 * 1024);
  });

  it('takes durations as strings with units or as ms', () => {
    const s = resolveMaterializerSettings({
      ...base,
      writeTimeout: '2s',
      retryMax: 800,
      commitInterval: '1m',
    });
    expect([s.writeTimeoutMs, s.retryMaxMs, s.commitIntervalMs]).toEqual([2000, 800, 60_000]);
  });

  it('names the option that is wrong', () => {
    const fails = (options: Partial<KafkaMaterializerOptions>) => () =>
      resolveMaterializerSettings({ ...base, ...options });
    expect(fails({ topics: [] })).toThrow(expect.objectContaining({ details: { path: 'topics' } }));
    expect(fails({ writeBatchSize: 0 })).toThrow(
      expect.objectContaining({ details: { path: 'writeBatchSize' } }),
    );
    expect(fails({ writeBatchSize: 1.5 })).toThrow(/positive integer/);
    expect(fails({ lagInterval: 'soon' })).toThrow(
      expect.objectContaining({ details: { path: 'lagInterval' } }),
    );
    expect(fails({ retryInitial: -1 })).toThrow(/invalid duration -1/);
  });
});
