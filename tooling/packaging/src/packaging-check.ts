import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CASSANDRA_LOCAL_DC_VAR,
  down,
  ENV_VARS,
  ensureServices,
  parseServiceNames,
  type ServiceEndpoints,
  type ServiceName,
  status,
} from '@granary/services';
import { ADAPTER_EXAMPLES, runAdapterExample } from './adapter-example.ts';
import { type PreparedExample, runExample, writeExamples } from './examples.ts';
import { installSize } from './install-size.ts';
import { checkPackedPackage } from './packed-manifest.ts';
import { failure, runCommand } from './process.ts';
import { parseReadme } from './readme-directives.ts';
import { type ReadmeOf, readmeProblems } from './readme-rules.ts';
import type { PackageSizes, Recorder } from './report.ts';
import { exerciseBins } from './run-bins.ts';
import { installProject, plainEnv, projectManifest } from './temp-project.ts';
import { typeCheck } from './type-check.ts';
import { type PackedTarball, packAll, publicPackages, type WorkspacePackage } from './workspace-packages.ts';

export interface CheckOptions {
  readonly root: string;
  /** Holds `tarballs/` and `project/` (the empty npm project). */
  readonly workDir: string;
  /** Skip `turbo run build` (the caller built the packages). */
  readonly skipBuild: boolean;
}

const EXAMPLE_TIMEOUT_MS = 180_000;
const ENDPOINT_OF: Record<ServiceName, keyof ServiceEndpoints> = {
  redis: 'redis',
  'redis-cluster': 'redisCluster',
  dynalite: 'dynalite',
  kafka: 'kafka',
  cassandra: 'cassandra',
  toxiproxy: 'toxiproxy',
  'redis-cluster-ha': 'redisClusterHa',
  'cassandra-ring': 'cassandraRing',
  moto: 'moto',
  postgres: 'postgres',
};

/** The `GRANARY_*` variables that tell examples where the services they name are. */
export function serviceEnv(
  names: readonly ServiceName[],
  endpoints: ServiceEndpoints,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) env[ENV_VARS[name]] = endpoints[ENDPOINT_OF[name]].url;
  if (names.includes('cassandra')) env[CASSANDRA_LOCAL_DC_VAR] = endpoints.cassandra.localDataCenter;
  return env;
}

async function build(root: string, packages: readonly WorkspacePackage[]): Promise<string[]> {
  const filters = packages.map((p) => `--filter=${p.name}`);
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  const r = await runCommand(turbo, ['run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: root,
    timeoutMs: 900_000,
  });
  const failed = failure(r);
  return failed ? [failed] : [];
}

async function runAll(
  examples: readonly PreparedExample[],
  project: string,
  env: NodeJS.ProcessEnv,
  notes: string[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const e of examples) {
    const r = await runExample(project, e, env, EXAMPLE_TIMEOUT_MS);
    notes.push(`${r.name}: ${r.problems.length === 0 ? 'ok' : 'FAILED'} (${(r.ms / 1000).toFixed(1)} s)`);
    problems.push(...r.problems.map((p) => `${r.name}: ${p}`));
  }
  return problems;
}

function sizesOf(
  project: string,
  packed: ReadonlyMap<string, PackedTarball>,
  sizes: PackageSizes[],
): string[] {
  return [...packed.values()].flatMap((t) => {
    const size = installSize(project, t.name);
    let unpackedBytes = 0;
    for (const b of t.files.values()) unpackedBytes += b;
    sizes.push({ ...size, tarballBytes: t.tarballBytes, unpackedBytes });
    return size.missing.map((m) => `${t.name}: not installed: ${m}`);
  });
}

/** Packs, checks the packed manifests and READMEs, installs the tarballs with npm; the packed tarballs. */
async function packAndInstall(
  options: CheckOptions,
  rec: Recorder,
  packages: readonly WorkspacePackage[],
  readmes: readonly ReadmeOf[],
): Promise<Map<string, PackedTarball> | undefined> {
  const { root, workDir } = options;
  if (!options.skipBuild && (await rec.phase('build', () => build(root, packages))).length > 0)
    return undefined;
  const packed = new Map<string, PackedTarball>();
  const packProblems = await rec.phase('pack', async (notes) => {
    for (const [name, t] of await packAll(root, packages, join(workDir, 'tarballs'))) packed.set(name, t);
    notes.push(`${packed.size} tarballs in ${join(workDir, 'tarballs')}`);
    return [];
  });
  if (packProblems.length > 0) return undefined;
  await rec.phase('packed manifests', async () => {
    const publicVersions = new Map(packages.map((p) => [p.name, p.version]));
    return packages.flatMap((p) => {
      const t = packed.get(p.name);
      if (!t) return [`${p.name}: not packed`];
      return checkPackedPackage(t, { source: p.manifest, publicVersions }).map((x) => `${p.name}: ${x}`);
    });
  });
  await rec.phase('readmes', async () => readmeProblems(readmes));
  const installProblems = await rec.phase('npm install', async (notes) => {
    const installs = readmes.flatMap((r) => r.parsed.installs);
    const manifest = projectManifest(installs, new Map([...packed].map(([n, t]) => [n, t.tarball])));
    const project = join(workDir, 'project');
    notes.push(`into ${project}: ${Object.keys(manifest.manifest.dependencies as object).join(' ')}`);
    return [...manifest.problems, ...(await installProject(project, manifest))];
  });
  return installProblems.length > 0 ? undefined : packed;
}

/**
 * The whole check, phase by phase (each recorded with its time and problems): build, pack, the packed
 * manifests, the READMEs, `npm install` of the tarballs into an empty project, type checks, every README
 * example against the services it names, every bin (the server serving its demo), the third-party adapter
 * examples (each installed from the tarballs, its conformance test run against its services), install sizes.
 * Resolves with the install sizes (none when it stopped before the install).
 */
export async function runPackagingCheck(options: CheckOptions, rec: Recorder): Promise<PackageSizes[]> {
  const project = join(options.workDir, 'project');
  mkdirSync(project, { recursive: true });
  const packages = await publicPackages(options.root);
  const readmes: ReadmeOf[] = packages.map((p) => ({
    name: p.name,
    program: p.manifest.bin !== undefined,
    parsed: parseReadme(p.readme, `${p.name} README`),
  }));
  const packed = await packAndInstall(options, rec, packages, readmes);
  if (!packed) return [];
  const examples = writeExamples(
    project,
    readmes.map((r) => ({ pkg: r.name, examples: r.parsed.examples })),
  );
  await rec.phase('type check', async (notes) => {
    const tsExamples = examples.filter((e) => e.mode !== 'file' && e.path.endsWith('.ts')).map((e) => e.path);
    const results = await typeCheck(project, [...packed.values()], tsExamples);
    for (const r of results) notes.push(`${r.program}: ${r.problems.length === 0 ? 'ok' : 'FAILED'}`);
    return results.flatMap((r) => r.problems.map((p) => `${r.program}: ${p}`));
  });
  const runnable = examples.filter((e) => e.mode !== 'file');
  const services = parseServiceNames([
    ...runnable.flatMap((e) => e.services),
    ...ADAPTER_EXAMPLES.flatMap((e) => e.services),
  ]);
  let env: NodeJS.ProcessEnv = plainEnv();
  const before = await status(services);
  const startedHere = services.filter((s) => !before[s]?.running);
  try {
    if (services.length > 0) {
      await rec.phase(`services (${services.join(', ')})`, async () => {
        env = { ...env, ...serviceEnv(services, await ensureServices(services)) };
        return [];
      });
    }
    const local = runnable.filter((e) => !e.server);
    await rec.phase('readme examples', (notes) => runAll(local, project, env, notes));
    const needServer = runnable.filter((e) => e.server);
    await rec.phase('bins and the server', (notes) =>
      exerciseBins({ project, packed, readmes, env, notes }, (url, n) =>
        runAll(needServer, project, { ...env, GRANARY_SERVER_URL: url }, n),
      ),
    );
    const tarballs = new Map([...packed].map(([n, t]) => [n, t.tarball]));
    for (const example of ADAPTER_EXAMPLES) {
      await rec.phase(`adapter example ${example.dir}`, (notes) =>
        runAdapterExample(options.root, example, options.workDir, tarballs, env, notes),
      );
    }
  } finally {
    // Only what this check started; services that were up before (npm test's) are left alone.
    if (startedHere.length > 0) await down(startedHere);
  }
  const sizes: PackageSizes[] = [];
  await rec.phase('install sizes', async () => sizesOf(project, packed, sizes));
  // core first, then the other libraries, then the programs; by name within each.
  const rank = (name: string) => (name === '@granary/core' ? 0 : packed.get(name)?.manifest.bin ? 2 : 1);
  return sizes.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
}
