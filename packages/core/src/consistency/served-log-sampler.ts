/**
 * 32-bit FNV-1a hash of a string's UTF-16 code units: deterministic across processes and runs, so every
 * request for a given entity is sampled the same way.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The sampling hash: FNV-1a followed by the MurmurHash3 32-bit finaliser, which spreads the high bits well
 * even for short keys sharing a prefix (canonical keys all start alike).
 */
export function samplingHash(text: string): number {
  let h = fnv1a32(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A deterministic sampler by canonical entity key (`entityKeyToString`): keeps a key when
 * `samplingHash(key) / 2^32 < rate`. The same key is always kept or always dropped, so every served value of a
 * sampled entity is logged (needed to compare it with offline data).
 */
export function createServedLogSampler(rate: number): (keyString: string) => boolean {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sample rate must be in [0, 1], got ${rate}`);
  if (rate === 0) return () => false;
  if (rate === 1) return () => true;
  const limit = rate * 2 ** 32;
  return (keyString) => samplingHash(keyString) < limit;
}
