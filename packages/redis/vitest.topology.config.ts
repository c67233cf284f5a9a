import { defineConfig } from 'vitest/config';

// `pnpm test:topology`: the production-shaped cluster (3 masters + 3 replicas) with failover and resharding
// under load. The HA cluster is started by the tests themselves (services `redis-cluster-ha`).
export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['test/topology/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
