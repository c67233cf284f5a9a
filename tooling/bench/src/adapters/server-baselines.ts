import { request } from 'undici';
import { okText } from './server-steps.ts';

/** The hello-world baseline: Fastify answering a constant, run with `node -e` from apps/server. */
export const HELLO_APP = `
const { default: Fastify } = await import('fastify');
const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
app.get('/healthz', async () => ({ status: 'ok' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log('listening on ' + address);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

/**
 * The raw-driver baseline, run with `node -e` from apps/server (BENCH_REDIS_URL, BENCH_PREFIX): what an HTTP
 * endpoint over the same Redis rows does at the least, without Granary's engine. Fastify parses the same
 * request body; ioredis HMGETs the same hash fields (as Buffers, like the adapter); each cell's event time and
 * float64 are read in place and answered as JSON. No validation, statuses, ages, fallbacks, caches or metrics.
 * The key layout and field ids come from @granary/redis's public API.
 */
export const RAW_APP = `
const { default: Fastify } = await import('fastify');
const { Redis } = await import('ioredis');
const { defineEntity, defineFeatureView } = await import('@granary/core');
const { createRedisKeyLayout, featureFieldId, decodeEventTime } = await import('@granary/redis');
const layout = createRedisKeyLayout(process.env.BENCH_PREFIX);
const FLOAT64_AT = 9; // after the 8-byte event time and the codec's 1-byte type tag (checked against the server)
const user = defineEntity({ name: 'bench_user', joinKeys: [{ name: 'user_id', type: 'int64' }] });
const view = defineFeatureView({ name: 'bench_wide', entity: user, maxAge: '1d', features: [{ name: 'f00', type: 'float64' }] });
const redis = new Redis(process.env.BENCH_REDIS_URL);
const app = Fastify();
app.post('/v1/features', async (request) => {
  const { features, entities } = request.body;
  const fields = features.map((f) => featureFieldId(f.slice(f.indexOf(':') + 1)));
  const pipeline = redis.pipeline();
  for (const e of entities) pipeline.hmgetBuffer(layout.rowKey(view, e), ...fields);
  const replies = await pipeline.exec();
  return {
    results: replies.map(([error, cells]) => {
      if (error) throw error;
      return cells.map((c) => {
        if (c === null) return null;
        return { value: c.readDoubleLE(FLOAT64_AT), eventTime: decodeEventTime(c) };
      });
    }),
  };
});
app.get('/healthz', async () => ({ status: 'ok' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log('listening on ' + address);
process.once('SIGTERM', () => app.close().then(() => redis.quit()).then(() => process.exit(0)));
`;

/** The raw baseline must answer the same values as the server (else it would measure a different job). */
export async function checkRawAgrees(serverUrl: string, rawUrl: string): Promise<void> {
  const body = JSON.stringify({ features: ['bench_wide:f00', 'bench_wide:f49'], entities: [{ user_id: 7 }] });
  const ask = async (url: string) => {
    const res = await request(`${url}/v1/features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return JSON.parse(await okText(res, url)) as unknown;
  };
  const served = (await ask(serverUrl)) as {
    entities: { features: Record<string, { value: number }> }[];
  };
  const raw = (await ask(rawUrl)) as { results: ({ value: number } | null)[][] };
  const fromServer = Object.values(served.entities[0]?.features ?? {}).map((f) => f.value);
  const fromRaw = (raw.results[0] ?? []).map((c) => c?.value);
  if (JSON.stringify(fromServer) !== JSON.stringify(fromRaw))
    throw new Error(`raw baseline disagrees with the server: ${fromRaw} vs ${fromServer}`);
}
