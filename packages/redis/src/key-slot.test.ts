import { describe, expect, it } from 'vitest';
import { crc16, hashSlot } from './key-slot.js';

describe('cluster hash slots', () => {
  it('CRC16/XMODEM check value', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('matches the slots Redis documents and reports', () => {
    // `CLUSTER KEYSLOT foo` = 12182, `CLUSTER KEYSLOT bar` = 5061 (the cluster test checks many more live).
    expect(hashSlot('foo')).toBe(12182);
    expect(hashSlot('bar')).toBe(5061);
  });

  it('honours hash tags like Redis', () => {
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('{user1000}.followers'));
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('user1000'));
    // An empty tag hashes the whole key; only the first `{` counts.
    expect(hashSlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) % 16384);
    expect(hashSlot('foo{{bar}}zap')).toBe(hashSlot('{bar'));
    expect(hashSlot('foo{bar}{zap}')).toBe(hashSlot('bar'));
    expect(hashSlot('foo{bar')).toBe(crc16(Buffer.from('foo{bar')) % 16384);
  });
});
