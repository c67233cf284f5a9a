import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PackedPackage } from './packed-manifest.ts';
import { failure, runCommand } from './process.ts';

/** A public (publishable) package of the workspace. */
export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  /** Its package.json as written in the workspace. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Its README's text ('' when it has none: the packed checks report that). */
  readonly readme: string;
}

/** A package as packed: the tarball and its unpacked contents. */
export interface PackedTarball extends PackedPackage {
  readonly tarball: string;
  readonly tarballBytes: number;
}

/** Every workspace package without `"private": true`, as pnpm lists them. */
export async function publicPackages(root: string): Promise<WorkspacePackage[]> {
  const r = await runCommand('pnpm', ['ls', '-r', '--depth', '-1', '--json'], {
    cwd: root,
    timeoutMs: 60_000,
  });
  const failed = failure(r);
  if (failed) throw new Error(failed);
  const listed = JSON.parse(r.stdout) as { name?: string; path: string; private?: boolean }[];
  return listed
    .filter((p) => p.private === false && p.name !== undefined)
    .map((p) => {
      const manifest = JSON.parse(readFileSync(join(p.path, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const readmePath = join(p.path, 'README.md');
      return {
        name: String(manifest.name),
        version: String(manifest.version),
        dir: p.path,
        manifest,
        readme: existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '',
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function walk(dir: string, base = dir, out = new Map<string, number>()): Map<string, number> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, base, out);
    else out.set(relative(base, path), statSync(path).size);
  }
  return out;
}

/**
 * `pnpm pack` of the given packages into `dest` (one pnpm run; the workspace's catalog, `workspace:`
 * protocol, publishConfig and the .pnpmfile.cjs `beforePacking` hook apply as at publish), then each
 * tarball unpacked with `tar` into `dest/unpacked/<name>`.
 */
export async function packAll(
  root: string,
  packages: readonly WorkspacePackage[],
  dest: string,
): Promise<Map<string, PackedTarball>> {
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const r = await runCommand('pnpm', ['-r', ...filters, 'pack', '--pack-destination', dest, '--json'], {
    cwd: root,
    timeoutMs: 120_000,
  });
  const failed = failure(r);
  if (failed) throw new Error(failed);
  const listed = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { name: string; filename: string }[];
  const out = new Map<string, PackedTarball>();
  for (const { name, filename } of listed) {
    const dir = join(dest, 'unpacked', name);
    mkdirSync(dir, { recursive: true });
    const untar = await runCommand('tar', ['-xzf', filename, '-C', dir, '--strip-components=1'], {
      cwd: dest,
      timeoutMs: 60_000,
    });
    const untarFailed = failure(untar);
    if (untarFailed) throw new Error(untarFailed);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    out.set(name, {
      name,
      version: String(manifest.version),
      manifest,
      files: walk(dir),
      readFile: (path) => readFileSync(join(dir, path), 'utf8'),
      tarball: filename,
      tarballBytes: statSync(filename).size,
    });
  }
  for (const p of packages) if (!out.has(p.name)) throw new Error(`pnpm pack did not pack ${p.name}`);
  return out;
}
