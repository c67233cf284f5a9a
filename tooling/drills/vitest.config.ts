import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The unit tests import @granary/core's sources, so they run without a build.
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
