import { defineConfig } from 'vitest/config';

// Unit tests of the check's pure parts; the check itself runs as `pnpm --filter @granary/packaging check`.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
