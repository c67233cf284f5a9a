import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGranaryClient, DEADLINE_HEADER, GranaryClientError } from '../src/index.js';

/** A scripted HTTP server: each request takes the next handler (the last one repeats). */
let server: Server;
let baseUrl: string;
let script: ((req: IncomingMessage, res: ServerResponse, body: string) => void)[] = [];
let seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'rid-1' });
  res.end(JSON.stringify(body));
};
const errorBody = (code: string, message: string, retryable: boolean, path?: string) => ({
  error: { code, message, retryable, requestId: 'rid-1', ...(path ? { path } : {}) },
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const handler = script[Math.min(seen.length - 1, script.length - 1)];
      handler?.(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  script = [];
  seen = [];
});

const noJitter = () => 0.5;

describe('createGranaryClient', () => {
  it('sends the key, the deadline header and the JSON body, and returns the parsed answer', async () => {
    script = [(_q, res) => json(res, 200, { requestId: 'rid-1', entities: [] })];
    const client = createGranaryClient({ baseUrl: `${baseUrl}/`, apiKey: 'k'.repeat(20), deadlineMs: 800 });
    const out = await client.getFeatures({
      features: ['v:f'],
      entities: [{ user_id: 1 }],
      minEventTime: new Date(0),
    });
    expect(out.requestId).toBe('rid-1');
    const req = seen[0];
    expect(req?.url).toBe('/v1/features');
    expect(req?.headers.authorization).toBe(`Bearer ${'k'.repeat(20)}`);
    const deadline = Number(req?.headers[DEADLINE_HEADER]);
    expect(deadline).toBeGreaterThan(700);
    expect(deadline).toBeLessThanOrEqual(800);
    expect(JSON.parse(req?.body ?? '')).toEqual({
      features: ['v:f'],
      entities: [{ user_id: 1 }],
      minEventTime: '1970-01-01T00:00:00.000Z',
    });
  });

  it('retries an idempotent read on 503 with the same request id, then succeeds', async () => {
    script = [
      (_q, res) => json(res, 503, errorBody('STORE_UNAVAILABLE', 'down', true)),
      (_q, res) => json(res, 200, { verdict: 'OK', views: [] }),
    ];
    const client = createGranaryClient({ baseUrl, random: noJitter });
    const out = await client.freshness({ requestId: 'mine' });
    expect(out.verdict).toBe('OK');
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.headers['x-request-id'])).toEqual(['mine', 'rid-1']);
  });

  it('never retries a push, and reports the attempt count', async () => {
    script = [(_q, res) => json(res, 503, errorBody('STORE_UNAVAILABLE', 'down', true))];
    const client = createGranaryClient({ baseUrl, random: noJitter });
    const error = await client
      .push([{ view: 'v', key: { id: 1 }, values: { f: 1 }, eventTime: 5 }])
      .catch((e: unknown) => e);
    expect(GranaryClientError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'http',
      status: 503,
      code: 'STORE_UNAVAILABLE',
      retryable: true,
      attempts: 1,
    });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      rows: [{ view: 'v', key: { id: 1 }, values: { f: 1 }, eventTime: 5 }],
    });
  });

  it('does not retry bad input and carries the field path', async () => {
    script = [
      (_q, res) =>
        json(
          res,
          400,
          errorBody('VALIDATION_FAILED', 'entities[0].user_id: bad', false, 'entities[0].user_id'),
        ),
    ];
    const client = createGranaryClient({ baseUrl });
    const error = await client
      .getFeatures({ features: ['v:f'], entities: [{ user_id: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'http',
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'entities[0].user_id',
      requestId: 'rid-1',
    });
    expect(seen).toHaveLength(1);
  });
});

describe('createGranaryClient: retries, deadlines and failures', () => {
  it('gives up after the configured retries', async () => {
    script = [(_q, res) => json(res, 502, {})];
    const client = createGranaryClient({ baseUrl, random: noJitter, retry: { retries: 3, baseDelayMs: 1 } });
    const error = await client.hotKeys({ view: 'v', n: 3 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', status: 502, code: 'HTTP_502', attempts: 4 });
    expect(seen[0]?.url).toBe('/v1/hot-keys?view=v&n=3');
  });

  it('enforces the deadline locally', async () => {
    script = [(_q, res) => setTimeout(() => json(res, 200, {}), 500)];
    const client = createGranaryClient({ baseUrl });
    const started = performance.now();
    const error = await client
      .getFeatures({ features: ['v:f'], entities: [] }, { deadlineMs: 50 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', code: 'DEADLINE_EXCEEDED' });
    expect(performance.now() - started).toBeLessThan(400);
  });

  it("reports the caller's abort as aborted", async () => {
    script = [(_q, res) => setTimeout(() => json(res, 200, {}), 300)];
    const client = createGranaryClient({ baseUrl });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await client.freshness({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'aborted', code: 'ABORTED' });
  });

  it('reports an unreachable server as a network error after retrying', async () => {
    const client = createGranaryClient({
      baseUrl: 'http://127.0.0.1:1',
      random: noJitter,
      retry: { baseDelayMs: 1 },
    });
    const error = await client.readiness().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', code: 'NETWORK_ERROR', attempts: 3 });
  });

  it('returns readiness for 503 without throwing', async () => {
    script = [(_q, res) => json(res, 503, { ready: false, reason: 'shutting down' })];
    const client = createGranaryClient({ baseUrl });
    expect(await client.readiness()).toEqual({ ready: false, reason: 'shutting down' });
  });
});
