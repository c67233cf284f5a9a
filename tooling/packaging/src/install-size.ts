import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What installing one package brings onto the disk. */
export interface InstallSize {
  readonly name: string;
  /** Packages in its closure, itself included. */
  readonly packages: number;
  /** Apparent size (sum of file sizes) of those packages' folders, nested node_modules excluded. */
  readonly bytes: number;
  /** Required dependencies not found on disk (a broken install). */
  readonly missing: readonly string[];
}

type Manifest = {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** Node's lookup: `<dir>/node_modules/<name>`, then each parent folder's, up to `root`. */
export function resolvePackageDir(fromDir: string, name: string, root: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

/** Bytes of the files under `dir`, not following links, not entering node_modules. */
export function folderBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += entry.name === 'node_modules' ? 0 : folderBytes(path);
    else bytes += lstatSync(path).size;
  }
  return bytes;
}

/**
 * The install size of `name` as installed in the project at `root`: the package, its dependencies, the
 * optional ones present on disk (platform binaries) and the peers npm installs (all but optional ones),
 * transitively, each folder counted once. One project holds every package, so a dependency shared by two
 * packages counts in both sizes; the copy npm picked is measured.
 */
export function installSize(root: string, name: string): InstallSize {
  const seen = new Set<string>();
  const missing: string[] = [];
  let bytes = 0;
  const visit = (fromDir: string, dep: string, required: boolean) => {
    const dir = resolvePackageDir(fromDir, dep, root);
    if (dir === undefined) {
      if (required) missing.push(`${dep} (needed from ${fromDir})`);
      return;
    }
    if (seen.has(dir)) return;
    seen.add(dir);
    bytes += folderBytes(dir);
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    for (const d of Object.keys(m.dependencies ?? {})) visit(dir, d, true);
    for (const d of Object.keys(m.optionalDependencies ?? {})) visit(dir, d, false);
    for (const d of Object.keys(m.peerDependencies ?? {})) {
      if (m.peerDependenciesMeta?.[d]?.optional !== true) visit(dir, d, true);
    }
  };
  visit(root, name, true);
  return { name, packages: seen.size, bytes, missing };
}

/** `12.3 MiB`, `456 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
