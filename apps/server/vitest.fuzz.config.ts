import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The OpenAPI fuzz test alone (`pnpm --filter @granary/server test` runs it after the other tests).
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/openapi-fuzz.test.ts'], exclude: [] },
});
