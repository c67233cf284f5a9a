import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBytes, installSize } from './install-size.ts';

const root = mkdtempSync(join(tmpdir(), 'granary-install-size-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pkg(path: string, manifest: Record<string, unknown>, payloadBytes: number): void {
  const dir = join(root, path);
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(manifest);
  writeFileSync(join(dir, 'package.json'), json);
  writeFileSync(join(dir, 'index.js'), 'x'.repeat(payloadBytes - json.length));
}

// a -> b (a nested copy), peer c, optional peer d (installed, not counted), optional dep e (absent)
// b -> c (the root copy, counted once); c -> f; the root b is another copy, not a's.
pkg(
  'node_modules/a',
  {
    dependencies: { b: '^2' },
    optionalDependencies: { e: '*' },
    peerDependencies: { c: '*', d: '*' },
    peerDependenciesMeta: { d: { optional: true } },
  },
  1000,
);
pkg('node_modules/a/node_modules/b', { dependencies: { c: '*' } }, 200);
pkg('node_modules/b', {}, 5000);
pkg('node_modules/c', { dependencies: { f: '*' } }, 30);
pkg('node_modules/d', {}, 7000);
pkg('node_modules/f', {}, 4);
pkg('node_modules/g', { dependencies: { missing: '*' } }, 100);

describe('installSize', () => {
  it('counts the package, its dependencies and required peers once each, the copies Node would load', () => {
    expect(installSize(root, 'a')).toEqual({
      name: 'a',
      packages: 4,
      bytes: 1000 + 200 + 30 + 4,
      missing: [],
    });
  });

  it('reports a required dependency missing from the disk', () => {
    const size = installSize(root, 'g');
    expect(size.missing).toHaveLength(1);
    expect(size.missing[0]).toMatch(/^missing \(needed from .*node_modules\/g\)$/);
  });

  it('formats sizes', () => {
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(3.25 * 1024 * 1024)).toBe('3.3 MiB');
  });
});
