import { compareVersions, encodeValue, isGranaryError, readEntities } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureFieldId, WRITTEN_AT_FIELD } from '../src/index.js';
import { uniquePrefix } from './helpers/cleanup.js';
import { type Topology, topologies } from './helpers/topologies.js';
import { profile, testViews } from './helpers/views.js';

const seed = Number(process.env.GRANARY_SEED) || 20261126;
const HOUR = 3_600_000;

// The Lua script's comparison against core's compareVersions, on the real server: equal event times with
// byte strings chosen where a signed, locale-collated or length-unaware comparison would disagree.
const byte = fc.oneof(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff), fc.integer({ min: 0, max: 255 }));
const bytes = fc.array(byte, { maxLength: 6 }).map((b) => Uint8Array.from(b));
const pair = fc.oneof(
  fc.tuple(bytes, bytes),
  // One a proper prefix of the other, or equal.
  fc
    .tuple(bytes, fc.array(byte, { maxLength: 3 }))
    .map(([a, tail]) => [a, Uint8Array.from([...a, ...tail])] as const),
);
const eventTime = fc.constantFrom(0, -0, 1, -1, 0.5, -1e12, 1.767e12, 1.767e12 + 1);

/** A store on `topo` under a prefix of its own, with a manual clock, set up and cleaned up by the suite. */
function storeOn(topo: Topology, name: string) {
  const prefix = uniquePrefix(`${name}-${topo.name}`);
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const store = topo.store(prefix, { clock });
  beforeAll(async () => {
    await topo.connect();
    await store.init(testViews);
  });
  afterAll(() => topo.cleanup(prefix));
  return { prefix, clock, store };
}

describe.each(topologies())('write rule inside Redis ($name)', (topo: Topology) => {
  const { clock, store } = storeOn(topo, 'write-rule');

  it('equal event times: the greater encoded bytes win, in either order (600 random ties)', async () => {
    const pairs = fc.sample(pair, { seed, numRuns: 600 });
    const T = Date.UTC(2026, 0, 1);
    const key = (i: number, order: number) => ({ user_id: `tie-${i}-${order}` });
    const write = (order: number, pick: (p: (typeof pairs)[number]) => Uint8Array) =>
      store.write(
        pairs.map((p, i) => ({
          view: profile.name,
          key: key(i, order),
          values: { raw: pick(p) },
          eventTime: T,
        })),
      );
    await write(0, ([a]) => a);
    await write(1, ([, b]) => b);
    await write(0, ([, b]) => b);
    await write(1, ([a]) => a);
    const keys = pairs.flatMap((_, i) => [key(i, 0), key(i, 1)]);
    const rows = await readEntities(store, profile, keys, ['raw']);
    pairs.forEach(([a, b], i) => {
      const av = { eventTime: T, bytes: encodeValue('bytes', a) };
      const bv = { eventTime: T, bytes: encodeValue('bytes', b) };
      const want = Buffer.from(compareVersions(av, bv) > 0 ? a : b).toString('hex');
      const got = [rows[2 * i], rows[2 * i + 1]].map((r) =>
        Buffer.from(r?.raw?.value as Uint8Array).toString('hex'),
      );
      expect(got, `tie ${Buffer.from(a).toString('hex')} / ${Buffer.from(b).toString('hex')}`).toEqual([
        want,
        want,
      ]);
    });
  });

  it('event times (negative, fractional, -0) and values decide together, whatever the arrival order', async () => {
    const version = fc.record({ eventTime, value: fc.constantFrom('', 'a', 'b', 'ab', '\u0000', 'é') });
    const cases = fc.sample(fc.array(version, { minLength: 2, maxLength: 5 }), {
      seed: seed + 1,
      numRuns: 150,
    });
    const key = (i: number) => ({ user_id: `order-${i}` });
    const maxLen = Math.max(...cases.map((c) => c.length));
    for (let step = 0; step < maxLen; step++) {
      await store.write(
        cases.flatMap((versions, i) => {
          const v = versions[step];
          return v
            ? [{ view: profile.name, key: key(i), values: { name: v.value }, eventTime: v.eventTime }]
            : [];
        }),
      );
    }
    const rows = await readEntities(
      store,
      profile,
      cases.map((_, i) => key(i)),
      ['name'],
    );
    cases.forEach((versions, i) => {
      let best = versions[0];
      for (const v of versions) {
        const cmp = compareVersions(
          { eventTime: v.eventTime, bytes: encodeValue('string', v.value) },
          best && { eventTime: best.eventTime, bytes: encodeValue('string', best.value) },
        );
        if (cmp > 0) best = v;
      }
      expect(rows[i]?.name?.value, JSON.stringify(versions)).toBe(best?.value);
      expect(rows[i]?.name?.eventTime).toBe(best?.eventTime === 0 ? 0 : best?.eventTime);
    });
  });

  it('the key TTL is raised to the retention by a write that changes the row, and never shortened', async () => {
    const key = { user_id: 'ttl' };
    const rowKey = store.layout.rowKey(profile, key);
    await store.write([{ view: profile.name, key, values: { score: 1 }, eventTime: 1 }]);
    expect(await topo.raw.pttl(rowKey)).toBeGreaterThan(HOUR - 5000);
    await topo.raw.pexpire(rowKey, 10 * HOUR);
    await store.write([{ view: profile.name, key, values: { score: 2 }, eventTime: 2 }]);
    expect(await topo.raw.pttl(rowKey)).toBeGreaterThan(9 * HOUR);
    await topo.raw.pexpire(rowKey, 60_000);
    await store.write([{ view: profile.name, key, values: { score: 0 }, eventTime: 0 }]);
    expect(await topo.raw.pttl(rowKey), 'a write that changes nothing leaves the TTL').toBeLessThanOrEqual(
      60_000,
    );
    await store.write([{ view: profile.name, key, values: { count: 1n }, eventTime: 0 }]);
    expect(await topo.raw.pttl(rowKey)).toBeGreaterThan(HOUR - 5000);
  });

  it('writtenAt is per row: set by a write that changes the row, kept by one that changes nothing', async () => {
    const key = { user_id: 'written-at' };
    const t0 = clock.now();
    await store.write([{ view: profile.name, key, values: { score: 1, count: 1n }, eventTime: 10 }]);
    clock.advance(1000);
    await store.write([{ view: profile.name, key, values: { score: 0 }, eventTime: 5 }]);
    let [row] = await readEntities(store, profile, [key], ['score', 'count']);
    expect(row?.score?.writtenAt).toBe(t0);
    clock.advance(1000);
    await store.write([{ view: profile.name, key, values: { score: 2 }, eventTime: 11 }]);
    [row] = await readEntities(store, profile, [key], ['score', 'count']);
    expect(row?.score?.writtenAt).toBe(t0 + 2000);
    expect(row?.count?.writtenAt, 'documented: the row writtenAt covers every feature').toBe(t0 + 2000);
  });
});

describe.each(topologies())('storage layout and failures inside Redis ($name)', (topo: Topology) => {
  const { prefix, clock, store } = storeOn(topo, 'layout');

  it('stores one hash per row with 5-character field ids, 8-byte event time headers and the writtenAt field', async () => {
    const key = { user_id: 'layout' };
    await store.write([{ view: profile.name, key, values: { score: 0.25, name: 'n' }, eventTime: 7 }]);
    const rowKey = store.layout.rowKey(profile, key);
    expect(rowKey).toMatch(new RegExp(`^${prefix}it_profile:\\{[A-Za-z0-9_-]+\\}$`));
    const fields = await topo.raw.hkeys(rowKey);
    expect(fields.sort()).toEqual([WRITTEN_AT_FIELD, featureFieldId('name'), featureFieldId('score')].sort());
    const score = await topo.raw.hgetBuffer(rowKey, featureFieldId('score'));
    expect(score?.length).toBe(8 + 9);
    expect(await topo.raw.hget(rowKey, WRITTEN_AT_FIELD)).toBe(String(clock.now()));
    expect(await topo.raw.object('ENCODING', rowKey)).toBe('listpack');
  });

  it('recovers from a flushed script cache (NOSCRIPT) for single and pipelined writes', async () => {
    const masters =
      topo.name === 'cluster' ? (topo.raw as import('ioredis').Cluster).nodes('master') : [topo.raw];
    await Promise.all(masters.map((m) => (m as import('ioredis').Redis).script('FLUSH')));
    await store.write([
      { view: profile.name, key: { user_id: 'noscript' }, values: { score: 1 }, eventTime: 1 },
    ]);
    await Promise.all(masters.map((m) => (m as import('ioredis').Redis).script('FLUSH')));
    const keys = Array.from({ length: 30 }, (_, i) => ({ user_id: `noscript-${i}` }));
    await store.write(
      keys.map((key, i) => ({ view: profile.name, key, values: { score: i }, eventTime: 1 })),
    );
    const rows = await readEntities(store, profile, keys, ['score']);
    expect(rows.map((r) => r.score?.value)).toEqual(keys.map((_, i) => i));
  });

  it('a key holding another type fails reads and writes with a non-retryable STORE_ERROR, never "not found"', async () => {
    const key = { user_id: 'wrongtype' };
    await topo.raw.set(store.layout.rowKey(profile, key), 'not a hash');
    const wrongType = (e: unknown) =>
      isGranaryError(e, 'STORE_ERROR') && !e.retryable && /WRONGTYPE/.test(e.message);
    await expect(readEntities(store, profile, [key], ['score'])).rejects.toSatisfy(wrongType);
    await expect(readEntities(store, profile, [key, { user_id: 'other' }], ['score'])).rejects.toSatisfy(
      wrongType,
    );
    await expect(
      store.write([{ view: profile.name, key, values: { score: 1 }, eventTime: 1 }]),
    ).rejects.toSatisfy((e: unknown) => isGranaryError(e, 'STORE_ERROR') && !e.retryable);
  });

  it('a corrupt cell is a CODEC_ERROR naming the view, the feature and the key', async () => {
    const key = { user_id: 'corrupt' };
    await topo.raw.hset(store.layout.rowKey(profile, key), featureFieldId('score'), 'short');
    await expect(readEntities(store, profile, [key], ['score'])).rejects.toSatisfy(
      (e: unknown) => isGranaryError(e, 'CODEC_ERROR') && /it_profile:score/.test(e.message),
    );
  });
});
