import { defineConfig } from 'vitest/config';

// `pnpm test:topology`: the 3-node ring (RF 3, LOCAL_QUORUM) started by the tests themselves (services
// `cassandra-ring`): node loss and recovery, and the tie rule on replicas.
export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['test/topology/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
