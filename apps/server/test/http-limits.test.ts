import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromObject } from '../src/config/load-config.js';
import type { GranaryServer } from '../src/granary-server.js';
import { createGranaryServer } from '../src/granary-server.js';
import { logCapture, post, TEST_REGISTRY } from './helpers/test-server.js';

// What a hostile client meets: requests that arrive too slowly are cut off, oversized bodies and batches are
// refused naming the limit, and keys that do not exist cannot grow the negative cache past its bound. No
// assertion here depends on the machine's speed (the timeouts only bound how long a test waits).

let server: GranaryServer;
let url: URL;
const NEGATIVE_CACHE_MAX = 300;

beforeAll(async () => {
  const config = configFromObject(
    {
      registry: { inline: TEST_REGISTRY },
      store: { type: 'memory' },
      auth: { mode: 'none' },
      engine: { heartbeat: false, negativeCache: { maxEntries: NEGATIVE_CACHE_MAX, notFoundTtl: '1m' } },
      // No load shedding: on a busy machine it could answer 503 before the timeouts under test fire.
      server: {
        port: 0,
        logLevel: 'warn',
        maxPushRows: 10,
        overload: false,
        timeouts: { headers: '500ms', request: '1s', checkInterval: '100ms' },
      },
    },
    {},
  );
  server = await createGranaryServer({
    config,
    env: {},
    logDestination: logCapture().stream,
  });
  url = new URL(await server.listen());
});
afterAll(() => server.close());

/** Opens a raw connection, writes `head`, then one byte of `drip` every `everyMs`; resolves with all it read. */
function dribble(
  head: string,
  drip: string,
  everyMs: number,
): Promise<{ response: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(url.port), url.hostname);
    let response = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < drip.length && !socket.destroyed) socket.write(drip[i++] as string);
    }, everyMs);
    socket.on('data', (d) => {
      response += String(d);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closed: true });
    });
    socket.write(head);
  });
}

describe('slow clients', () => {
  it('cuts off a body sent a byte at a time with 408 and closes the connection', async () => {
    const body = JSON.stringify({ features: ['user_stats:clicks'], entities: [{ user_id: 1 }] });
    const head = `POST /v1/features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { response, closed } = await dribble(head, body, 100);
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(closed).toBe(true);
  });

  it('cuts off headers sent a byte at a time with 408', async () => {
    const { response, closed } = await dribble(
      'GET /healthz HTTP/1.1\r\n',
      'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      100,
    );
    expect(response.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(closed).toBe(true);
  });
});

describe('oversized requests', () => {
  it('refuses more push rows than server.maxPushRows, naming the field', async () => {
    const row = { view: 'user_stats', key: { user_id: 1 }, values: { clicks: 1 }, eventTime: 0 };
    const res = await post(server, '/v1/push', { rows: Array.from({ length: 11 }, () => row) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', path: 'rows' });
  });

  it('refuses a body above server.bodyLimitBytes with 413 before parsing it', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: { 'content-type': 'application/json' },
      payload: `{"rows":[${'1,'.repeat(600_000)}1]}`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', path: 'body' });
  });
});

describe('many distinct unknown keys', () => {
  it('keeps the negative cache within engine.negativeCache.maxEntries', async () => {
    let next = 1_000_000;
    for (let batch = 0; batch < 30; batch++) {
      const entities = Array.from({ length: 100 }, () => ({ user_id: next++ }));
      const res = await post(server, '/v1/features', { features: ['user_stats:ctr'], entities });
      expect(res.status).toBe(200);
      expect(res.body.counts.byStatus.NOT_FOUND).toBe(100);
      expect(server.engine.stats().negativeCacheEntries).toBeLessThanOrEqual(NEGATIVE_CACHE_MAX);
    }
    // 3,000 distinct keys went by; the cache holds at most its bound, and does hold keys.
    expect(server.engine.stats().negativeCacheEntries).toBeGreaterThan(0);
  });
});
