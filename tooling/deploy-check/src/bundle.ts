import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './paths.ts';

const run = promisify(execFile);

/** The apps deploy/ ships, as deploy/bundle.sh names them. */
export const APPS = ['server', 'consumer', 'auditor'] as const;
/** One app. */
export type App = (typeof APPS)[number];

/** Makes `app`'s production bundle in `out` with deploy/bundle.sh, the script every Dockerfile runs. */
export async function buildBundle(app: App, out: string): Promise<void> {
  try {
    await run('sh', [join(ROOT, 'deploy/bundle.sh'), app, out], {
      cwd: ROOT,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`deploy/bundle.sh ${app} failed: ${e.stderr || e.message}\n${e.stdout ?? ''}`);
  }
}
