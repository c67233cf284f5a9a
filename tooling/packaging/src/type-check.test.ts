import { describe, expect, it } from 'vitest';
import { consumerFiles, needsNodeTypes, parseTscOutput } from './type-check.ts';

describe('type-check inputs', () => {
  it('writes one consumer file per exported subpath, none for package.json', () => {
    const files = consumerFiles({
      name: '@granary/core',
      manifest: {
        exports: {
          '.': './dist/index.js',
          './testing': './dist/testing.js',
          './package.json': './package.json',
        },
      },
    });
    expect(files.map((f) => f.file)).toEqual([
      'consumer/granary-core.ts',
      'consumer/granary-core-testing.ts',
    ]);
    expect(files[1]?.text).toContain("import * as api from '@granary/core/testing';");
  });

  it('has nothing to type-check in a bin-only package', () => {
    expect(
      consumerFiles({
        name: '@granary/server',
        manifest: { exports: { './package.json': './package.json' } },
      }),
    ).toEqual([]);
  });

  it('takes an optional @types/node peer as the package saying its types need Node', () => {
    expect(needsNodeTypes({ peerDependencies: { '@types/node': '*' } })).toBe(true);
    expect(needsNodeTypes({ peerDependencies: { '@granary/core': '^0.1.0' } })).toBe(false);
  });

  it('separates errors from listed files in tsc output', () => {
    const out = [
      '/p/node_modules/typescript/lib/lib.es2022.d.ts',
      "node_modules/@granary/redis/dist/index.d.ts(120,68): error TS2591: Cannot find name 'Buffer'.",
      '/p/consumer/granary-redis.ts',
      "error TS5083: Cannot read file '/p/tsconfig.json'.",
    ].join('\n');
    expect(parseTscOutput(out)).toEqual({
      errors: [
        "node_modules/@granary/redis/dist/index.d.ts(120,68): error TS2591: Cannot find name 'Buffer'.",
        "error TS5083: Cannot read file '/p/tsconfig.json'.",
      ],
      files: ['/p/node_modules/typescript/lib/lib.es2022.d.ts', '/p/consumer/granary-redis.ts'],
    });
  });
});
