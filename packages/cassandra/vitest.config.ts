import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The ring tests (node loss, ties on replicas) run with `pnpm test:topology` (vitest.topology.config.ts).
    exclude: ['test/topology/**', '**/node_modules/**'],
    // Starts (or finds) Cassandra and Toxiproxy once; fails loudly when they cannot run.
    globalSetup: ['test/global-setup.ts'],
    // One Cassandra node with a 1 GiB heap on 2 cores: integration files run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
