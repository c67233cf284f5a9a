import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The topology tests (failover, resharding) run with `pnpm test:topology` (vitest.topology.config.ts).
    exclude: ['test/topology/**', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // The integration files cut connections through shared Toxiproxy instances and time outages: run them
    // one at a time so one file's fault never lands in another's timing.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
