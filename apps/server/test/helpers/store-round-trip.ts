import { expect, it } from 'vitest';
import type { GranaryServer } from '../../src/granary-server.js';
import { post } from './test-server.js';

/** A run-unique suffix for key prefixes, table prefixes and keyspaces (lower-case letters and digits). */
export function runId(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36)}`;
}

/**
 * The end-to-end checks every store type must pass over HTTP (`/v1/push` then `/v1/features`): values of
 * every kind round-trip, the newest event time wins whatever the push order, a missing key is NOT_FOUND.
 * Registers `it` blocks; `server` returns the server the file's `beforeAll` built.
 */
export function storeRoundTripTests(server: () => GranaryServer): void {
  // Behaviour, not latency: reads carry a generous deadline, so that a store's first query on a busy CI
  // machine (a Cassandra statement prepared on first use, a cluster slot map) is not cut by the engine's 100 ms
  // default and served as UNAVAILABLE.
  const read = (url: string, body: unknown) => post(server(), url, body, { 'x-granary-deadline-ms': '5000' });
  const features = ['user_stats:clicks', 'user_stats:country', 'user_stats:vec', 'user_stats:ctr'];

  it('pushes and serves the values, the newest event time winning', async () => {
    const now = Date.now();
    const key = { user_id: '9007199254740993' };
    const push = (rows: unknown[]) => post(server(), '/v1/push', { rows });
    expect(
      await push([
        {
          view: 'user_stats',
          key,
          values: { clicks: '9007199254740993', country: 'DE', vec: [1, 2] },
          eventTime: now,
        },
        { view: 'user_stats', key, values: { country: 'OLD' }, eventTime: now - 60_000 },
      ]),
    ).toMatchObject({ status: 200, body: { written: 2 } });
    // A later push of an older value loses too.
    expect(
      await push([{ view: 'user_stats', key, values: { country: 'OLDER' }, eventTime: now - 1000 }]),
    ).toMatchObject({ status: 200 });
    const res = await read('/v1/features', { features, entities: [key] });
    expect(res.status).toBe(200);
    const f = res.body.entities[0].features;
    expect(f['user_stats:clicks']).toMatchObject({
      value: '9007199254740993',
      status: 'PRESENT',
      source: 'store',
      eventTime: new Date(now).toISOString(),
    });
    expect(f['user_stats:country']).toMatchObject({ value: 'DE', eventTime: new Date(now).toISOString() });
    expect(f['user_stats:vec'].value).toEqual([1, 2]);
    expect(f['user_stats:ctr']).toMatchObject({ status: 'NOT_FOUND' });

    // A newer push replaces the value.
    await push([{ view: 'user_stats', key, values: { country: 'FR' }, eventTime: now + 1000 }]);
    const newer = await read('/v1/features', { features: ['user_stats:country'], entities: [key] });
    expect(newer.body.entities[0].features['user_stats:country']).toMatchObject({
      value: 'FR',
      status: 'PRESENT',
      eventTime: new Date(now + 1000).toISOString(),
    });
  });

  it('answers NOT_FOUND for a key that was never written', async () => {
    const res = await read('/v1/features', {
      features: ['user_stats:country', 'user_stats:clicks', 'engagement:views'],
      entities: [{ user_id: 424242, item_id: 'never-written' }],
    });
    expect(res.status).toBe(200);
    const f = res.body.entities[0].features;
    expect(f['user_stats:country']).toMatchObject({ value: null, status: 'NOT_FOUND', reason: 'not_found' });
    // clicks has a default: served from it, still NOT_FOUND.
    expect(f['user_stats:clicks']).toMatchObject({ value: '0', status: 'NOT_FOUND', source: 'default' });
    expect(f['engagement:views']).toMatchObject({ value: null, status: 'NOT_FOUND' });
  });

  it('serves a composite key through the Feast endpoint', async () => {
    await post(server(), '/v1/push', {
      rows: [
        {
          view: 'engagement',
          key: { user_id: 5, item_id: 'x' },
          values: { views: 9 },
          eventTime: Date.now(),
        },
      ],
    });
    const res = await read('/get-online-features', {
      features: ['engagement:views'],
      entities: { user_id: [5], item_id: ['x'] },
    });
    expect(res.body.results[2]).toMatchObject({ values: [9], statuses: ['PRESENT'] });
  });

  it('reports the store health in /healthz?verbose', async () => {
    const ready = await server().app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const health = await server().app.inject({ url: '/healthz?verbose' });
    expect(health.json().stores[0]).toMatchObject({ role: 'primary', ok: true, circuit: 'closed' });
  });
}
