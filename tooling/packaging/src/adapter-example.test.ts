import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADAPTER_EXAMPLES, conformanceSummary, tarballManifest } from './adapter-example.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('tarballManifest', () => {
  const tarballs = new Map([['@granary/core', '/t/granary-core-0.1.0.tgz']]);

  it('points Granary dependencies at their tarballs and leaves the rest as written', () => {
    const { manifest, problems } = tarballManifest(
      {
        name: 'x',
        dependencies: { '@granary/core': '^0.1.0', pg: '8.23.1' },
        devDependencies: { vitest: '^5' },
      },
      tarballs,
    );
    expect(problems).toEqual([]);
    expect(manifest.dependencies).toEqual({
      '@granary/core': 'file:/t/granary-core-0.1.0.tgz',
      pg: '8.23.1',
    });
    expect(manifest.devDependencies).toEqual({ vitest: '^5' });
  });

  it('names a Granary dependency that has no tarball', () => {
    const { problems } = tarballManifest({ devDependencies: { '@granary/nope': '^1.0.0' } }, tarballs);
    expect(problems).toEqual(['depends on @granary/nope, which is not a public package']);
  });
});

it('every adapter example exists, has a test and stays out of the workspace', () => {
  for (const e of ADAPTER_EXAMPLES) {
    expect(existsSync(join(ROOT, e.dir, 'package.json'))).toBe(true);
    expect(existsSync(join(ROOT, e.dir, 'test'))).toBe(true);
    expect(e.dir.startsWith('packages/') || e.dir.startsWith('apps/') || e.dir.startsWith('tooling/')).toBe(
      false,
    );
  }
});

it("keeps the suite's summary line, without vitest's colour codes around it", () => {
  const out =
    'x\n\u001b[22m\u001b[39m[conformance] pg: 34 cases ran, 0 did not (seed 1)\n\u001b[32m✓\u001b[39m done\n';
  expect(conformanceSummary(out)).toEqual(['[conformance] pg: 34 cases ran, 0 did not (seed 1)']);
});
