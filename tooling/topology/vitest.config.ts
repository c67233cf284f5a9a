import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
