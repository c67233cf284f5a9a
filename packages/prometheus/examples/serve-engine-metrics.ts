// The README's example: core's serving engine recording into an app's own prom-client registry.
// Run it: pnpm --filter @granary/core --filter @granary/prometheus build && node packages/prometheus/examples/serve-engine-metrics.ts
import {
  createFeatureServer,
  createMemoryOnlineStore,
  createRegistry,
  defineEntity,
  defineFeatureView,
} from '@granary/core';
import { createPrometheusRecorder } from '@granary/prometheus';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Serves one request and returns the Prometheus text a `/metrics` route would send. */
export async function engineMetricsText(): Promise<string> {
  const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
  const view = defineFeatureView({
    name: 'user_stats',
    entity: user,
    maxAge: '1h',
    features: [{ name: 'clicks', type: 'int64' }],
  });
  const store = createMemoryOnlineStore();
  await store.init([view]);
  await store.write([
    { view: 'user_stats', key: { user_id: 'u1' }, values: { clicks: 3n }, eventTime: Date.now() },
  ]);

  const prom = new Registry(); // the app's own registry: never prom-client's global one
  collectDefaultMetrics({ register: prom }); // process metrics may share it
  const engine = createFeatureServer({
    registry: createRegistry({ views: [view] }),
    store,
    heartbeat: false,
    metrics: createPrometheusRecorder({ registry: prom }),
  });
  await engine.init();
  await engine.get({ features: ['user_stats:clicks'], entities: [{ user_id: 'u1' }] });
  await engine.close();
  return prom.metrics(); // what GET /metrics answers, with `content-type: ${prom.contentType}`
}

if (import.meta.main) {
  const text = await engineMetricsText();
  console.log(
    text
      .split('\n')
      .filter((line) => line.startsWith('granary_served'))
      .join('\n'),
  );
}
