import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';

describe('options', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions({ url: 'redis://127.0.0.1:6379' });
    expect(o).toMatchObject({ name: 'redis', keyPrefix: 'granary:', timeoutMs: 2000, batchSize: 500 });
    expect(o.maxValueBytes).toBe(1024 * 1024);
  });

  it('needs exactly one of standalone and cluster', () => {
    expect(() => resolveOptions({})).toThrow(/either url\/redis/);
    expect(() => resolveOptions({ url: 'redis://x', cluster: { nodes: ['x:1'] } })).toThrow(/not both/);
    expect(() => resolveOptions({ cluster: { nodes: [] } })).toThrow(/cluster.nodes/);
    expect(() => resolveOptions({ redis: { sentinels: [{ host: 'h', port: 1 }], name: 'm' } })).not.toThrow();
  });

  it('names the bad field', () => {
    expect(() => resolveOptions({ url: 'redis://x', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => resolveOptions({ url: 'redis://x', batchSize: 1.5 })).toThrow(/batchSize/);
    expect(() => resolveOptions({ url: 'redis://x', keyPrefix: '{x}' })).toThrow(/keyPrefix/);
    expect(() => resolveOptions({ redis: { keyPrefix: 'a:' } })).toThrow(/keyPrefix/);
  });
});
