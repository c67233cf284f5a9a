import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Schemathesis release the fuzz test runs (pinned with its dependencies in requirements.txt). */
export const SCHEMATHESIS_VERSION = '4.32.5';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REQUIREMENTS = join(HERE, 'requirements.txt');
/** The repository's shared cache (a symlink to the main checkout's in worktrees). */
const CACHE = fileURLToPath(new URL('../../../../.services/cache/', import.meta.url));
const READY = 'granary-ready';

/** Where the venv lives: one per content of requirements.txt, so a change of pins builds a new one. */
export function venvDir(): string {
  const digest = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex').slice(0, 12);
  return join(CACHE, `venv-schemathesis-${SCHEMATHESIS_VERSION}-${digest}`);
}

function fail(what: string, error: unknown): never {
  const e = error as { code?: string; stderr?: string; message?: string };
  const detail = e.code === 'ENOENT' ? 'not found on PATH' : (e.stderr || e.message || String(error)).trim();
  throw new Error(
    `The OpenAPI fuzz test needs Schemathesis ${SCHEMATHESIS_VERSION} from PyPI in a Python venv, and ${what} failed: ${detail.slice(-2000)}\n` +
      'Install Python 3.9+ with its venv module (Debian: apt-get install -y python3 python3-venv; GRANARY_PYTHON names another interpreter) ' +
      `and allow pip to reach PyPI; or build the venv by hand: python3 -m venv ${venvDir()} && ${venvDir()}/bin/pip install -r ${REQUIREMENTS}`,
  );
}

/**
 * Returns the Python of a venv holding the pinned Schemathesis, building it on first use (about 20 s):
 * in a private temporary folder that is renamed into place when complete, so concurrent runs (other
 * worktrees share the cache) never see a half-built venv; the loser of a race deletes its copy. Run the
 * tool as `<python> -m schemathesis.cli`, which works from the venv's final path (its scripts would not).
 * Throws an error naming what to install when Python, its venv module or PyPI is missing.
 */
export async function ensureSchemathesis(): Promise<string> {
  const dir = venvDir();
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, READY))) return python;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    try {
      await run(process.env.GRANARY_PYTHON ?? 'python3', ['-m', 'venv', tmp], { timeout: 120_000 });
    } catch (error) {
      fail('creating the venv (python3 -m venv)', error);
    }
    try {
      await run(join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '-r', REQUIREMENTS], {
        timeout: 600_000,
        env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      });
    } catch (error) {
      fail(`pip install -r ${REQUIREMENTS}`, error);
    }
    const { stdout } = await run(join(tmp, 'bin', 'python'), ['-m', 'schemathesis.cli', '--version']);
    if (!stdout.includes(SCHEMATHESIS_VERSION)) fail('checking the installed version', new Error(stdout));
    writeFileSync(join(tmp, READY), `${SCHEMATHESIS_VERSION}\n`);
    try {
      renameSync(tmp, dir);
    } catch (error) {
      // Another run finished first: use its venv.
      if (!existsSync(join(dir, READY))) throw error;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return python;
}
