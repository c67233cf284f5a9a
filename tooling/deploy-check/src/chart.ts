import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KUBE_VERSION } from './go-build.ts';
import { CHART_DIR } from './paths.ts';

const run = promisify(execFile);

/** The chart's values files: the defaults (`[]`) and each file of deploy/helm/granary/values/ over them. */
export function valuesFiles(): { name: string; files: string[] }[] {
  const extra = readdirSync(join(CHART_DIR, 'values'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return [
    { name: 'values.yaml', files: [] },
    ...extra.map((f) => ({ name: `values/${f}`, files: [join(CHART_DIR, 'values', f)] })),
  ];
}

/** A helm invocation's outcome (helm's own messages on stderr are kept for the assertion messages). */
export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs helm with `args`; never rejects for a non-zero exit. */
export async function helm(binary: string, args: readonly string[]): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await run(binary, args, { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as Error & { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `helm template <release> <chart> --kube-version ... -f <files> --set-json <sets>`. */
export function templateArgs(
  release: string,
  files: readonly string[],
  setJson: Readonly<Record<string, unknown>> = {},
): string[] {
  return [
    'template',
    release,
    CHART_DIR,
    '--kube-version',
    KUBE_VERSION,
    ...files.flatMap((f) => ['-f', f]),
    ...Object.entries(setJson).flatMap(([k, v]) => ['--set-json', `${k}=${JSON.stringify(v)}`]),
  ];
}

/** One rendered manifest, as plain data. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
} & Record<string, unknown>;

/** Parses `helm template` output into its documents (empty ones dropped). */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null && typeof d === 'object');
}

/** The one rendered object of `kind` whose name ends with `suffix`; throws naming what was rendered. */
export function findManifest(manifests: readonly Manifest[], kind: string, suffix: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name.endsWith(suffix));
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind} named *${suffix}, rendered: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`,
    );
  return found[0] as Manifest;
}
