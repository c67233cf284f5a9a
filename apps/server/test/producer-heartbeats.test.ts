import { createGranaryClient } from '@granary/client';
import { createMemoryOnlineStore } from '@granary/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { post, testServer } from './helpers/test-server.js';

const HOUR = 3_600_000;
const store = createMemoryOnlineStore();
let server: GranaryServer;
let other: GranaryServer;

beforeAll(async () => {
  // Two replicas on one store: a heartbeat received by one is reported by both.
  ({ server } = await testServer({}, { store }));
  ({ server: other } = await testServer({}, { store }));
});
afterAll(async () => {
  await server.close();
  await other.close();
});

describe('POST /v1/heartbeats', () => {
  it('records "view complete up to T" per producer; the report and the metric show its age', async () => {
    const completeUpTo = new Date(Date.now() - HOUR).toISOString();
    const res = await post(server, '/v1/heartbeats', {
      view: 'user_stats',
      producer: 'nightly-batch',
      completeUpTo,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ view: 'user_stats', producer: 'nightly-batch', completeUpTo });
    const { producers } = (await server.app.inject({ url: '/v1/freshness' })).json();
    const hb = producers.heartbeats.find((h: { producer: string }) => h.producer === 'nightly-batch');
    expect(hb).toMatchObject({ view: 'user_stats', completeUpTo });
    expect(hb.ageMs).toBeGreaterThanOrEqual(HOUR);
    const metrics = (await server.app.inject({ url: '/metrics' })).body;
    const age = metrics.match(
      /granary_producer_heartbeat_age_seconds\{view="user_stats",producer="nightly-batch"\} ([\d.e+]+)/,
    );
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(3600);
  });

  it('another replica reads it from the store; an older heartbeat never moves completeness back', async () => {
    const t = Date.now() - 60_000;
    await post(server, '/v1/heartbeats', { view: 'engagement', producer: 'stream-1', completeUpTo: t });
    await post(server, '/v1/heartbeats', {
      view: 'engagement',
      producer: 'stream-1',
      completeUpTo: t - HOUR,
    });
    await other.producerHeartbeats?.refresh();
    const { producers } = (await other.app.inject({ url: '/v1/freshness' })).json();
    const hb = producers.heartbeats.find((h: { producer: string }) => h.producer === 'stream-1');
    expect(hb?.completeUpTo).toBe(new Date(t).toISOString());
  });

  it('answers 400 naming the field for an unknown view, a bad producer name or a time in the future', async () => {
    const now = Date.now();
    const unknown = await post(server, '/v1/heartbeats', { view: 'nope', producer: 'p', completeUpTo: now });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_VIEW', path: 'view' } } });
    const name = await post(server, '/v1/heartbeats', {
      view: 'user_stats',
      producer: 'a b',
      completeUpTo: now,
    });
    expect(name.status).toBe(400);
    expect(name.body.error.message).toMatch(/producer/);
    const future = await post(server, '/v1/heartbeats', {
      view: 'user_stats',
      producer: 'p',
      completeUpTo: now + HOUR,
    });
    expect(future).toMatchObject({ status: 400, body: { error: { path: 'completeUpTo' } } });
  });

  it('the typed client sends it', async () => {
    const url = await other.listen();
    const client = createGranaryClient({ baseUrl: url });
    const at = new Date(Date.now() - 5000);
    const answer = await client.heartbeat({ view: 'user_stats', producer: 'client-job', completeUpTo: at });
    expect(answer).toMatchObject({
      view: 'user_stats',
      producer: 'client-job',
      completeUpTo: at.toISOString(),
    });
    const report = await client.freshness();
    expect(report.producers?.heartbeats.some((h) => h.producer === 'client-job')).toBe(true);
  });
});
