import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The apps' config schemas are imported from their sources; the bundles under test are built by deploy/bundle.sh.
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    // Building helm (first run on a machine: a few minutes), the checker and three bundles.
    hookTimeout: 900_000,
    // The files share the helm binary and the checker; run them one after the other.
    fileParallelism: false,
  },
});
