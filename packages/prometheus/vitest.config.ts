import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: { include: ['src/**/*.test.ts', 'examples/**/*.test.ts'] },
});
