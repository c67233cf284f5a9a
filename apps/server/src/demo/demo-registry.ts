import { parseRegistry, type Registry } from '@granary/core';

/** The demo registry: users with fast click-stream counters and a slow profile. Int64 user ids. */
export const DEMO_REGISTRY_YAML = `
entities:
  - name: user
    description: A demo user.
    joinKeys: [{ name: user_id, type: int64 }]
views:
  - name: user_stats
    entity: user
    description: Click-stream counters, streamed by the demo feed.
    maxAge: 2m
    freshnessSlo: { target: 0.99, threshold: 1m }
    heartbeatInterval: 2s
    features:
      - { name: clicks_1h, type: int64, nullable: false, default: 0 }
      - { name: ctr_7d, type: float64, populationStat: median }
      - { name: last_category, type: string }
      - { name: is_premium, type: bool, nullable: false, default: false }
      - { name: taste_vec, type: 'float32[]' }
  - name: user_profile
    entity: user
    description: Slow-moving profile attributes.
    maxAge: 1h
    heartbeatInterval: 5s
    features:
      - { name: country, type: string, default: ZZ }
      - { name: account_age_days, type: int64 }
`;

/** Parses {@link DEMO_REGISTRY_YAML}. */
export function createDemoRegistry(): Registry {
  return parseRegistry(DEMO_REGISTRY_YAML, { file: 'demo-registry.yaml' });
}
