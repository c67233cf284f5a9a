import { Writable } from 'node:stream';
import type { OnlineStore } from '@granary/core';
import { configFromObject } from '../../src/config/load-config.js';
import { createGranaryServer, type GranaryServer } from '../../src/granary-server.js';

/** Captures pino's JSON lines. */
export function logCapture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

/** The test registry: one int64-keyed view with every value type, a composite-key view, two feature services. */
export const TEST_REGISTRY = {
  entities: [
    { name: 'user', joinKeys: [{ name: 'user_id', type: 'int64' }] },
    {
      name: 'user_item',
      joinKeys: [
        { name: 'user_id', type: 'int64' },
        { name: 'item_id', type: 'string' },
      ],
    },
  ],
  views: [
    {
      name: 'user_stats',
      entity: 'user',
      maxAge: '1h',
      features: [
        { name: 'clicks', type: 'int64', default: 0, nullable: false },
        { name: 'ctr', type: 'float64' },
        { name: 'premium', type: 'bool' },
        { name: 'country', type: 'string' },
        { name: 'blob', type: 'bytes' },
        { name: 'vec', type: 'float32[]' },
        { name: 'tags', type: 'string[]' },
        { name: 'score32', type: 'float32' },
      ],
    },
    {
      name: 'engagement',
      entity: 'user_item',
      maxAge: '5m',
      features: [{ name: 'views', type: 'int64' }],
    },
  ],
  featureServices: [
    { name: 'user_overview', features: ['user_stats:clicks', 'user_stats:country'] },
    { name: 'user_item_overview', features: ['engagement:views', 'user_stats:clicks'] },
  ],
};

function merge(a: unknown, b: unknown): unknown {
  const isRec = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRec(a) || !isRec(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k === 'registry' ? v : merge(a[k], v);
  return out;
}

/** A server built from config overrides (memory store, inline test registry, no auth, no demo, no load shedding by default). */
export async function testServer(
  overrides: Record<string, unknown> = {},
  options: { env?: Record<string, string>; store?: OnlineStore } = {},
): Promise<{ server: GranaryServer; logs: () => string[] }> {
  const logs = logCapture();
  const config = configFromObject(
    merge(
      {
        registry: { inline: TEST_REGISTRY },
        store: { type: 'memory' },
        auth: { mode: 'none' },
        engine: { heartbeat: false },
        // No load shedding unless a test asks for it: on a loaded machine it answers 503 before what is tested.
        server: { port: 0, overload: false },
        log: { level: 'info' },
      },
      overrides,
    ) as Record<string, unknown>,
    options.env ?? {},
  );
  const server = await createGranaryServer({
    config,
    env: options.env ?? {},
    logDestination: logs.stream,
    ...(options.store ? { store: options.store } : {}),
  });
  return { server, logs: logs.lines };
}

/** POST JSON through fastify's inject. */
export async function post(
  server: GranaryServer,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await server.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.body === '' ? undefined : JSON.parse(res.body),
  };
}
