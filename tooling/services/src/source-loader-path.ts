import { fileURLToPath } from 'node:url';

/**
 * The `--import` module that lets a child `node --experimental-transform-types` run this monorepo's TypeScript
 * sources directly (the `@granary/source` export condition, `.js` specifiers naming `.ts` files): for tests that
 * spawn a real process from sources.
 */
export const SOURCE_LOADER = fileURLToPath(new URL('./source-loader.mjs', import.meta.url));
