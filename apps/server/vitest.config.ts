import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The OpenAPI fuzzer runs on its own after the rest (vitest.fuzz.config.ts), so neither slows the other.
    exclude: ['test/openapi-fuzz.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
