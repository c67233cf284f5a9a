import semver from 'semver';

/** A package as `pnpm pack` wrote it: its published manifest and the files of its tarball. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The tarball's package.json. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** Paths in the tarball (relative to `package/`) and their sizes in bytes. */
  readonly files: ReadonlyMap<string, number>;
  /** A file's text. */
  readFile(path: string): string;
}

/** What the check knows of the workspace. */
export interface WorkspaceFacts {
  /** The package's own package.json in the workspace. */
  readonly source: Readonly<Record<string, unknown>>;
  /** Versions of the public workspace packages, by name. */
  readonly publicVersions: ReadonlyMap<string, string>;
}

const RUNTIME_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const ALL_FIELDS = [...RUNTIME_FIELDS, 'devDependencies'] as const;
const SOURCE_CONDITION = '@granary/source';
/** Files that must never be published: sources, tests, build and tool state. */
const UNPUBLISHED =
  /(^|\/)(src|test|node_modules|\.turbo)\/|\.test\.[cm]?[jt]s$|(^|\/)(tsconfig[^/]*\.json|tsup\.config\.[cm]?ts|vitest\.config\.[cm]?ts|[^/]*\.tsbuildinfo)$/;

type Deps = Record<string, string>;

function deps(manifest: Readonly<Record<string, unknown>>, field: string): Deps {
  const value = manifest[field];
  return value !== null && typeof value === 'object' ? (value as Deps) : {};
}

/** Every file path an exports map (or a single target) points at, with the subpath it serves. */
export function exportTargets(exports: unknown, subpath = '.'): { subpath: string; target: string }[] {
  if (typeof exports === 'string') return [{ subpath, target: exports }];
  if (Array.isArray(exports)) return exports.flatMap((e) => exportTargets(e, subpath));
  if (exports === null || typeof exports !== 'object') return [];
  return Object.entries(exports).flatMap(([key, value]) =>
    exportTargets(value, key.startsWith('.') ? key : subpath),
  );
}

/** The subpaths an exports map offers (`.`, `./testing`, `./package.json`). */
export function exportSubpaths(exports: unknown): string[] {
  if (exports === undefined) return [];
  if (typeof exports === 'string' || Array.isArray(exports)) return ['.'];
  const keys = Object.keys(exports as object);
  return keys.some((k) => k.startsWith('.')) ? keys.filter((k) => k.startsWith('.')).sort() : ['.'];
}

/** A range that admits one version only (`1.2.3`, `^0.0.0`, `=1.2.3`): users get no patch release. */
export function singleVersionRange(range: string): boolean {
  const valid = semver.validRange(range);
  if (valid === null) return false;
  const min = semver.minVersion(valid);
  if (min === null) return false;
  const next = semver.inc(min, 'patch');
  return next !== null && !semver.satisfies(next, valid);
}

function checkRanges(pkg: PackedPackage, facts: WorkspaceFacts, problems: string[]): void {
  for (const field of ALL_FIELDS) {
    for (const [name, spec] of Object.entries(deps(pkg.manifest, field))) {
      if (/^(workspace|catalog):/.test(spec)) problems.push(`${field}.${name} "${spec}": left unresolved`);
    }
  }
  for (const field of RUNTIME_FIELDS) {
    for (const [name, range] of Object.entries(deps(pkg.manifest, field))) {
      const where = `${field}.${name} "${range}"`;
      if (semver.validRange(range) === null) {
        problems.push(`${where}: not a semver range`);
        continue;
      }
      if (singleVersionRange(range)) problems.push(`${where}: admits a single version (use a caret range)`);
      const current = facts.publicVersions.get(name);
      if (name.startsWith('@granary/') && current === undefined) {
        problems.push(`${where}: not a public workspace package, so users cannot install it`);
        continue;
      }
      if (current === undefined) continue;
      if (!semver.satisfies(current, range)) problems.push(`${where}: does not admit ${name}@${current}`);
      const nextMinor = semver.inc(current, 'minor');
      if (field === 'peerDependencies' && nextMinor && !semver.satisfies(nextMinor, range)) {
        problems.push(`${where}: a ${name} minor release (${nextMinor}) would leave the range`);
      }
    }
  }
}

function checkFiles(pkg: PackedPackage, facts: WorkspaceFacts, problems: string[]): void {
  const m = pkg.manifest;
  if (!Array.isArray(m.files)) problems.push('files: missing (everything in the folder would be published)');
  if (!pkg.files.has('README.md')) problems.push('README.md: not in the tarball');
  for (const path of pkg.files.keys()) {
    if (UNPUBLISHED.test(path)) problems.push(`${path}: must not be published`);
  }
  const targets = [
    ...exportTargets(m.exports).map((t) => ({ where: `exports["${t.subpath}"]`, target: t.target })),
    ...(['main', 'types', 'module'] as const)
      .filter((k) => typeof m[k] === 'string')
      .map((k) => ({ where: k, target: m[k] as string })),
  ];
  for (const { where, target } of targets) {
    const path = target.replace(/^\.\//, '');
    if (!path.includes('*') && !pkg.files.has(path))
      problems.push(`${where}: ${target} is not in the tarball`);
  }
  const source = facts.source;
  const published = (source.publishConfig as { exports?: unknown } | undefined)?.exports ?? source.exports;
  const want = exportSubpaths(published).join(', ');
  const got = exportSubpaths(m.exports).join(', ');
  if (want !== got) problems.push(`exports: publishes subpaths [${got}], the workspace declares [${want}]`);
  const bins = typeof m.bin === 'string' ? { [pkg.name]: m.bin } : deps(m, 'bin');
  for (const [bin, target] of Object.entries(bins)) {
    const path = target.replace(/^\.\//, '');
    if (!pkg.files.has(path)) problems.push(`bin.${bin}: ${target} is not in the tarball`);
    else if (!pkg.readFile(path).startsWith('#!/usr/bin/env node\n'))
      problems.push(`bin.${bin}: ${target} does not start with "#!/usr/bin/env node"`);
  }
  for (const path of pkg.files.keys()) {
    if (!path.endsWith('.map')) continue;
    const map = JSON.parse(pkg.readFile(path)) as { sourcesContent?: unknown[] };
    if (map.sourcesContent?.some((c) => c !== null))
      problems.push(`${path}: carries sourcesContent (the sources' text)`);
  }
}

/**
 * Everything wrong with a packed package, one sentence per problem naming the field or file: unresolved
 * `workspace:`/`catalog:` specifiers, exact pins, peers on Granary packages that a minor release would
 * break, dependencies on private packages, the workspace-only `@granary/source` condition, export and bin
 * targets missing from the tarball, unpublished files (sources, tests), sourcemaps with sources' text.
 */
export function checkPackedPackage(pkg: PackedPackage, facts: WorkspaceFacts): string[] {
  const problems: string[] = [];
  if (JSON.stringify(pkg.manifest).includes(SOURCE_CONDITION))
    problems.push(`package.json: mentions the workspace-only "${SOURCE_CONDITION}" condition`);
  checkRanges(pkg, facts, problems);
  checkFiles(pkg, facts, problems);
  return problems;
}
