import { describe, expect, it } from 'vitest';
import {
  checkPackedPackage,
  exportSubpaths,
  type PackedPackage,
  singleVersionRange,
} from './packed-manifest.ts';

const source = {
  name: '@granary/redis',
  exports: {
    '.': { '@granary/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' },
  },
};
const good = {
  name: '@granary/redis',
  version: '0.1.0',
  files: ['dist', 'README.md'],
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  dependencies: { ioredis: '^5.9.2' },
  peerDependencies: { '@granary/core': '>=0.1.0 <1.0.0', '@types/node': '*' },
  devDependencies: { tsup: '^9.0.0' },
};
const goodFiles: Record<string, string> = {
  'dist/index.js': 'export {};\n',
  'dist/index.d.ts': 'export {};\n',
  'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: '' }),
  'README.md': '# x\n',
  'package.json': '{}',
};
const facts = {
  source,
  publicVersions: new Map([
    ['@granary/core', '0.1.0'],
    ['@granary/redis', '0.1.0'],
  ]),
};

function packed(manifest: Record<string, unknown>, files: Record<string, string> = goodFiles): PackedPackage {
  return {
    name: String(manifest.name),
    version: String(manifest.version),
    manifest,
    files: new Map(Object.entries(files).map(([p, t]) => [p, t.length])),
    readFile: (p) => files[p] ?? '',
  };
}

describe('checkPackedPackage', () => {
  it('accepts a package as the check wants it', () => {
    expect(checkPackedPackage(packed(good), facts)).toEqual([]);
  });

  it.each([
    [
      'an exact pin',
      { dependencies: { ioredis: '5.9.2' } },
      'dependencies.ioredis "5.9.2": admits a single version',
    ],
    ['a ^0.0.0 peer', { peerDependencies: { '@granary/core': '^0.0.0' } }, 'admits a single version'],
    [
      'a peer a core minor would break',
      { peerDependencies: { '@granary/core': '^0.1.0' } },
      'a @granary/core minor release (0.2.0) would leave the range',
    ],
    [
      'a range the current version does not meet',
      { peerDependencies: { '@granary/core': '^1.0.0' } },
      'does not admit @granary/core@0.1.0',
    ],
    ['a workspace: specifier', { dependencies: { '@granary/core': 'workspace:^' } }, 'left unresolved'],
    [
      'a catalog: devDependency',
      { devDependencies: { tsup: 'catalog:' } },
      'devDependencies.tsup "catalog:": left unresolved',
    ],
    [
      'a private Granary dependency',
      { dependencies: { '@granary/config': '^0.1.0' } },
      'not a public workspace package',
    ],
    ['no files field', { files: undefined }, 'files: missing'],
    [
      'the source condition',
      { exports: { '.': { '@granary/source': './src/index.ts', import: './dist/index.js' } } },
      'workspace-only "@granary/source"',
    ],
    [
      'an export target outside the tarball',
      { exports: { '.': { types: './dist/index.d.ts', import: './dist/other.js' } } },
      'exports["."]: ./dist/other.js is not in the tarball',
    ],
    [
      'a dropped subpath',
      { exports: { './package.json': './package.json' } },
      'publishes subpaths [./package.json], the workspace declares [.]',
    ],
    [
      'a missing bin',
      { bin: { 'granary-x': './dist/main.js' } },
      'bin.granary-x: ./dist/main.js is not in the tarball',
    ],
  ])('refuses %s', (_, change, problem) => {
    const problems = checkPackedPackage(packed({ ...good, ...change }), facts);
    expect(problems.join('\n')).toContain(problem);
  });

  it('refuses a bin without a shebang, a map with sources and unpublished files', () => {
    const files = {
      ...goodFiles,
      'dist/main.js': 'console.log(1);\n',
      'dist/index.js.map': JSON.stringify({
        version: 3,
        sources: ['a.ts'],
        sourcesContent: ['x'],
        mappings: '',
      }),
      'src/index.ts': '',
      'dist/x.test.js': '',
      'tsconfig.json': '{}',
    };
    const problems = checkPackedPackage(packed({ ...good, bin: { x: './dist/main.js' } }, files), facts);
    expect(problems).toEqual(
      expect.arrayContaining([
        'bin.x: ./dist/main.js does not start with "#!/usr/bin/env node"',
        "dist/index.js.map: carries sourcesContent (the sources' text)",
        'src/index.ts: must not be published',
        'dist/x.test.js: must not be published',
        'tsconfig.json: must not be published',
      ]),
    );
  });
});

describe('ranges and subpaths', () => {
  it.each([
    ['1.2.3', true],
    ['=1.2.3', true],
    ['^0.0.0', true],
    ['^0.0.3', true],
    ['^0.1.0', false],
    ['^5.9.2', false],
    ['>=0.1.0 <1.0.0', false],
    ['*', false],
    ['~1.2.3', false],
  ])('singleVersionRange(%s) is %s', (range, single) => {
    expect(singleVersionRange(range)).toBe(single);
  });

  it('lists the subpaths of an exports map', () => {
    expect(exportSubpaths('./dist/index.js')).toEqual(['.']);
    expect(exportSubpaths({ import: './a.js', types: './a.d.ts' })).toEqual(['.']);
    expect(
      exportSubpaths({ './testing': './t.js', '.': './a.js', './package.json': './package.json' }),
    ).toEqual(['.', './package.json', './testing']);
  });
});
