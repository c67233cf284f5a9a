import type { FeatureServer } from '@granary/core';
import { Gauge, type Registry } from 'prom-client';

/**
 * Declares `granary_store_up{store, role}` in `registry`: 1 when the store answered its health check at this
 * scrape, 0 when it did not (within `timeoutMs`). Readiness no longer follows the store, so this gauge and
 * `granary_circuit_state` are where a store outage shows (alert: GranaryStoreDown).
 */
export function registerStoreHealthMetric(
  registry: Registry,
  engine: FeatureServer,
  timeoutMs: number,
): Gauge<'store' | 'role'> {
  return new Gauge({
    name: 'granary_store_up',
    help: 'Whether the online store answered its health check at this scrape (1) or not (0), by store and role.',
    labelNames: ['store', 'role'],
    registers: [registry],
    async collect() {
      const health = await engine.health({ signal: AbortSignal.timeout(timeoutMs) });
      this.reset();
      for (const s of health.stores) this.set({ store: s.name, role: s.role }, s.ok ? 1 : 0);
    },
  });
}
