import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@granary/source'] },
  ssr: { resolve: { conditions: ['@granary/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The Toxiproxy helpers' own test needs the real Toxiproxy (started, or found through GRANARY_TOXIPROXY_URL).
    globalSetup: ['test/global-setup.ts'],
  },
});
