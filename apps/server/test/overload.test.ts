import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { post, testServer } from './helpers/test-server.js';

let server: GranaryServer;
let logs: () => string[];
const LIMIT_MS = 20;
const body = { features: ['user_stats:clicks'], entities: [{ user_id: 1 }] };

beforeAll(async () => {
  ({ server, logs } = await testServer({
    server: {
      overload: { maxEventLoopDelay: `${LIMIT_MS}ms`, sampleInterval: '500ms', retryAfter: '1500ms' },
    },
  }));
});
afterAll(() => server.close());

/** Keeps the event loop busy for `ms`, as a request backlog would. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

/** Waits (up to 5 s) until the guard's last sample says the loop is (or is no longer) lagging. */
async function untilLagging(lagging: boolean): Promise<void> {
  const deadline = performance.now() + 5000;
  while (server.app.memoryUsage().eventLoopDelay > LIMIT_MS !== lagging) {
    if (performance.now() > deadline) throw new Error(`event-loop delay never became lagging=${lagging}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('load shedding (server.overload)', () => {
  it('answers 503 OVERLOADED with Retry-After while the event loop lags, keeps the probes, then recovers', async () => {
    expect((await post(server, '/v1/features', body)).status).toBe(200);

    block(800);
    await untilLagging(true);
    const shed = await post(server, '/v1/features', body);
    expect(shed.status).toBe(503);
    expect(shed.headers['retry-after']).toBe('2');
    expect(shed.body.error).toMatchObject({ code: 'OVERLOADED', retryable: true });
    expect(shed.body.error.message).toMatch(
      /^the server is overloaded \(mean event-loop delay (\d+ ms|the whole last sample), over the 20 ms limit\)/,
    );
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect(logs().filter((l) => l.includes('overloaded: shedding requests'))).toHaveLength(1);

    await untilLagging(false);
    expect((await post(server, '/v1/features', body)).status).toBe(200);
  });
});
