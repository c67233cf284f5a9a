import {
  type Clock,
  createFreshnessSampler,
  type FeatureView,
  type FreshnessSampler,
  type OnlineStore,
} from '@granary/core';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { ServerConfig } from '../config/server-config.js';

/** What {@link createServerFreshnessSampler} wires together. */
export interface ServerSamplerDeps {
  readonly config: ServerConfig['freshnessSampler'];
  readonly store: OnlineStore;
  readonly views: readonly FeatureView[];
  readonly metrics: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The server's freshness sampler (`freshnessSampler` in the config; `undefined` when `false`), reading the
 * primary store, with its latest round exported at each scrape as `granary_freshness_sampled_age_seconds`
 * (quantile 0.5, 0.99 and 1 by view and feature), `granary_freshness_sampled_compliance` and
 * `granary_freshness_sampled_entities`. Labels are bounded by the registry.
 */
export function createServerFreshnessSampler(deps: ServerSamplerDeps): FreshnessSampler | undefined {
  if (deps.config === false) return undefined;
  const log = deps.logger.child({ component: 'freshness-sampler' });
  const sampler = createFreshnessSampler({
    ...deps.config,
    store: deps.store,
    views: deps.views,
    clock: deps.clock,
    onError: (view, error) => log.warn({ err: error, view }, 'freshness sampler: cannot sample the view'),
  });
  // prom-client collects in registration order: the first gauge fills all three from the latest round.
  const compliance = new Gauge({
    name: 'granary_freshness_sampled_compliance',
    help: "Share of sampled stored values younger than the view's SLO threshold, by view and feature.",
    labelNames: ['view', 'feature'],
    registers: [],
  });
  const entities = new Gauge({
    name: 'granary_freshness_sampled_entities',
    help: 'Entities read in the latest sampler round, by view.',
    labelNames: ['view'],
    registers: [],
  });
  new Gauge({
    name: 'granary_freshness_sampled_age_seconds',
    help: 'Age of last update over the sampled stored entities, by view, feature and quantile (1: the oldest).',
    labelNames: ['view', 'feature', 'quantile'],
    registers: [deps.metrics],
    collect() {
      this.reset();
      entities.reset();
      compliance.reset();
      for (const v of sampler.latest()?.views ?? []) {
        entities.set({ view: v.view }, v.entities);
        for (const f of v.features) {
          const labels = { view: v.view, feature: f.feature };
          const quantiles = { '0.5': f.ageMs.p50, '0.99': f.ageMs.p99, '1': f.ageMs.max };
          for (const [quantile, ms] of Object.entries(quantiles)) {
            if (ms !== null) this.set({ ...labels, quantile }, ms / 1000);
          }
          if (f.compliance !== null) compliance.set(labels, f.compliance);
        }
      }
    },
  });
  deps.metrics.registerMetric(compliance);
  deps.metrics.registerMetric(entities);
  return sampler;
}
