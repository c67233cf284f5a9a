import { describe, expect, it } from 'vitest';
import { formatPopulationStatsFile, parsePopulationStatsFile } from './population-stats.js';

const T = Date.UTC(2026, 0, 2);

describe('population statistics file', () => {
  it('round-trips statistics: int64 modes as decimal strings, bytes modes dropped', () => {
    const text = formatPopulationStatsFile({
      computedAt: T,
      from: T - 86_400_000,
      to: T,
      features: {
        'v:n': {
          count: 3,
          nullCount: 1,
          mean: 2,
          median: 2,
          min: 1,
          max: 3,
          mode: 9007199254740993n,
          quantiles: { '0.5': 2 },
        },
        'v:s': { count: 2, nullCount: 0, mode: 'FR' },
        'v:b': { count: 1, nullCount: 0, mode: new Uint8Array([1]) },
      },
    });
    const file = JSON.parse(text);
    expect(file).toMatchObject({
      schemaVersion: 1,
      computedAt: '2026-01-02T00:00:00.000Z',
      window: { from: '2026-01-01T00:00:00.000Z' },
    });
    expect(file.features['v:n'].mode).toBe('9007199254740993');
    expect(file.features['v:b']).toEqual({ count: 1, nullCount: 0 });
    const parsed = parsePopulationStatsFile(text, 'stats.json');
    expect(parsed.get('v:n')).toEqual({
      count: 3,
      computedAt: T,
      mean: 2,
      median: 2,
      mode: '9007199254740993',
      quantiles: { '0.5': 2 },
    });
    expect(parsed.get('v:s')).toEqual({ count: 2, computedAt: T, mode: 'FR' });
  });

  it('rejects invalid files naming the file and path', () => {
    const bad = (data: unknown) => () => parsePopulationStatsFile(JSON.stringify(data), 'stats.json');
    expect(() => parsePopulationStatsFile('{', 'stats.json')).toThrow(/^stats\.json: invalid JSON/);
    expect(bad({ schemaVersion: 2 })).toThrow(
      'stats.json: schemaVersion: unsupported schemaVersion 2 (expected 1)',
    );
    expect(bad({ schemaVersion: 1, computedAt: 'x', features: {} })).toThrow(
      'stats.json: computedAt: must be an ISO-8601 time',
    );
    expect(
      bad({ schemaVersion: 1, computedAt: '2026-01-01T00:00:00Z', features: { v: { count: 1 } } }),
    ).toThrow('stats.json: features.v: key must be "view:feature"');
    expect(
      bad({ schemaVersion: 1, computedAt: '2026-01-01T00:00:00Z', features: { 'v:f': { count: -1 } } }),
    ).toThrow('stats.json: features.v:f.count: must be a non-negative integer');
    expect(
      bad({
        schemaVersion: 1,
        computedAt: '2026-01-01T00:00:00Z',
        features: { 'v:f': { count: 1, mean: '1' } },
      }),
    ).toThrow('stats.json: features.v:f.mean: must be a number');
  });
});
