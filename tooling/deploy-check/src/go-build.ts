import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR, CHECKER_DIR } from './paths.ts';

const run = promisify(execFile);

/** The Helm release built from the Go module proxy (v3.22.0 is served but not approved). */
export const HELM_VERSION = 'v3.21.4';
/** Kubernetes version the chart is rendered and linted for (`helm template` defaults to v1.20 otherwise). */
export const KUBE_VERSION = '1.33.0';

async function go(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }) {
  try {
    return await run('go', args, { timeout: 900_000, maxBuffer: 16 * 1024 * 1024, ...options });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        '`go` is not on PATH: install it (apt-get install golang-go) to build helm and the manifest checker',
      );
    const e = error as Error & { stderr?: string };
    throw new Error(`go ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/**
 * Returns the helm binary, building it with `go install helm.sh/helm/v3/cmd/helm@HELM_VERSION` into
 * `.services/cache/helm/<version>/bin/` when absent. Concurrency-safe: each build goes to its own temporary
 * folder and is renamed into place (a rename over an existing binary is atomic), so two runs at once both end
 * with one complete binary.
 */
export async function ensureHelm(): Promise<string> {
  const bin = join(CACHE_DIR, 'helm', HELM_VERSION, 'bin');
  const helm = join(bin, 'helm');
  if (existsSync(helm)) return helm;
  mkdirSync(bin, { recursive: true });
  const scratch = mkdtempSync(join(CACHE_DIR, 'helm', '.build-'));
  try {
    process.stderr.write(`[deploy-check] building helm ${HELM_VERSION} with go install (once per machine)\n`);
    await go(['install', `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`], {
      env: { ...process.env, GOBIN: scratch, GOFLAGS: '-buildvcs=false' },
    });
    renameSync(join(scratch, 'helm'), helm);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return helm;
}

/** Builds deploy/check (the strict manifest and compose checker) into `dir`; returns the binary's path. */
export async function buildChecker(dir: string): Promise<string> {
  const out = join(dir, 'granary-deploy-check');
  await go(['build', '-o', out, '.'], {
    cwd: CHECKER_DIR,
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  return out;
}

/** What `deploy/check` reports. */
export interface CheckReport {
  readonly documents: readonly { file: string; apiVersion: string; kind: string; name: string }[];
  readonly externalSecrets: readonly string[];
  readonly problems: readonly string[];
}

/** Runs the checker (`manifests <files...>` or `compose <file>`); resolves to its report whatever it found. */
export async function runChecker(binary: string, args: readonly string[]): Promise<CheckReport> {
  try {
    const { stdout } = await run(binary, args, { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as CheckReport;
  } catch (error) {
    const e = error as Error & { code?: number; stdout?: string; stderr?: string };
    if (e.code === 1 && e.stdout) return JSON.parse(e.stdout) as CheckReport;
    throw new Error(`deploy/check ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}
