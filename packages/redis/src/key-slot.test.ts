import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';

// Batches are grouped by node with cluster-key-slot (the library ioredis itself routes with); these are the
// slots a live Redis Cluster reports for the same keys (`CLUSTER KEYSLOT <key>`, Redis 7.0), so a change of
// library that routes differently from Redis fails here, before the cluster test.
describe('cluster hash slots', () => {
  it('CRC16/XMODEM check value', () => {
    expect(calculateSlot('123456789')).toBe(0x31c3);
  });

  it('matches the slots Redis documents and reports', () => {
    // `CLUSTER KEYSLOT foo` = 12182, `CLUSTER KEYSLOT bar` = 5061 (the cluster test checks many more live).
    expect(calculateSlot('foo')).toBe(12182);
    expect(calculateSlot('bar')).toBe(5061);
  });

  it('honours hash tags like Redis', () => {
    expect(calculateSlot('{user1000}.following')).toBe(calculateSlot('{user1000}.followers'));
    expect(calculateSlot('{user1000}.following')).toBe(calculateSlot('user1000'));
    // An empty tag alone hashes the whole key (`CLUSTER KEYSLOT foo{}` = 5542); only the first `{` counts.
    expect(calculateSlot('foo{}')).toBe(5542);
    expect(calculateSlot('foo{{bar}}zap')).toBe(calculateSlot('{bar'));
    expect(calculateSlot('foo{{bar}}zap')).toBe(4015);
    expect(calculateSlot('foo{bar}{zap}')).toBe(calculateSlot('bar'));
    expect(calculateSlot('foo{bar')).toBe(15278);
  });

  it('differs from Redis only for an empty tag followed by another `}`, which no row key has', () => {
    // Redis hashes the whole key when the first tag is empty (`CLUSTER KEYSLOT foo{}{bar}` = 8363);
    // cluster-key-slot, and so ioredis' own routing, keeps scanning and hashes `{bar` (4015). Row keys are
    // `<prefix><view>:{<canonical key>}`: prefix and view have no braces and the canonical key is never
    // empty, so their tag is never empty (test/cluster.test.ts compares row-key slots with the server's).
    expect(calculateSlot('foo{}{bar}')).toBe(4015);
  });
});
