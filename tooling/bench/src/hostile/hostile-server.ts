/**
 * The server under attack in the hostile-client suite (hostile-clients.ts forks it): the reference server,
 * built through its programmatic API from apps/server's dist (`pnpm --filter @granary/server... build`), on the
 * memory store with the engine's and the HTTP layer's defaults, auth off, logs at warn. It writes `KEYS`
 * entities, prints `listening <url>`, and answers the parent's `stats` and `gc` messages with the engine's stats
 * and its memory use (`gc` after a full collection).
 */
import { configFromObject, createGranaryServer } from '@granary/server';
import { FEATURE_NAMES, KEYS, REGISTRY, VIEW } from './hostile-fixture.ts';

async function main(): Promise<void> {
  const config = configFromObject({
    registry: { inline: REGISTRY },
    store: { type: 'memory' },
    auth: { mode: 'none' },
    engine: { heartbeat: false },
    server: { host: '127.0.0.1', port: 0, logLevel: 'warn' },
  });
  const server = await createGranaryServer({ config, env: {} });
  const now = Date.now();
  for (let from = 1; from <= KEYS; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, KEYS - from + 1) }, (_, i) => ({
      view: VIEW,
      key: { user_id: from + i },
      values: Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, (from + i) * 10 + j])),
      eventTime: now,
    }));
    await server.engine.write(rows);
  }
  const url = await server.listen();
  process.on('message', (m: unknown) => {
    // `gc`: a full collection first (the parent forks this with --expose-gc), so heapUsed is what is retained.
    if (m === 'gc') globalThis.gc?.();
    if (m === 'stats' || m === 'gc') {
      process.send?.({ stats: server.engine.stats(), memory: process.memoryUsage() });
    }
  });
  // The parent went away (crashed or was killed): do not linger as an orphan holding the port.
  process.once('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
  console.log(`listening ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
