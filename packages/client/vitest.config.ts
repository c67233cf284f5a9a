import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 10_000,
  },
});
