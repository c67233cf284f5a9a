import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's shared cache (a symlink to the main checkout's in worktrees). */
const CACHE = fileURLToPath(new URL('../../../../.services/cache/', import.meta.url));
const READY = 'granary-ready';

/** A pinned Python tool from PyPI that a test runs from its own venv under `.services/cache/`. */
export interface PythonTool {
  /** The tool, as named in error messages and the venv's folder: `schemathesis`, `feast`. */
  readonly name: string;
  /** The pinned release; the installed one must report it. */
  readonly version: string;
  /** A pip requirements file pinning the tool and every dependency (`pip freeze` of a clean venv). */
  readonly requirements: string;
  /** Which test needs it, for the error message: `The OpenAPI fuzz test`. */
  readonly neededBy: string;
  /** Arguments to the venv's Python that print the installed version: `['-m', 'schemathesis.cli', '--version']`. */
  readonly versionCheck: readonly string[];
  /** Time allowed for `pip install`, in ms. Default: 600 000 (10 minutes; big wheels such as pyarrow). */
  readonly installTimeoutMs?: number;
}

/** Where the venv of `tool` lives: one per content of its requirements file, so a change of pins builds a new one. */
export function venvDir(tool: PythonTool): string {
  const digest = createHash('sha256').update(readFileSync(tool.requirements)).digest('hex').slice(0, 12);
  return join(CACHE, `venv-${tool.name}-${tool.version}-${digest}`);
}

function fail(tool: PythonTool, what: string, error: unknown): never {
  const e = error as { code?: string; stderr?: string; message?: string };
  const detail = e.code === 'ENOENT' ? 'not found on PATH' : (e.stderr || e.message || String(error)).trim();
  const dir = venvDir(tool);
  throw new Error(
    `${tool.neededBy} needs ${tool.name} ${tool.version} from PyPI in a Python venv, and ${what} failed: ${detail.slice(-2000)}\n` +
      'Install Python 3.10+ with its venv module (Debian: apt-get install -y python3 python3-venv; GRANARY_PYTHON names another interpreter) ' +
      `and allow pip to reach PyPI; or build the venv by hand: python3 -m venv ${dir} && ${dir}/bin/pip install -r ${tool.requirements} && touch ${dir}/${READY}`,
  );
}

/**
 * Returns the Python of a venv holding the pinned `tool`, building it on first use: in a private temporary
 * folder that is renamed into place when complete, so concurrent runs (other worktrees share the cache) never
 * see a half-built venv; the loser of a race deletes its copy. Run the tool as `<python> -m <module>`, which
 * works from the venv's final path (its scripts would not). Throws an error naming what to install when
 * Python, its venv module or PyPI is missing: never a skip.
 */
export async function ensurePythonTool(tool: PythonTool): Promise<string> {
  const dir = venvDir(tool);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, READY))) return python;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    try {
      await run(process.env.GRANARY_PYTHON ?? 'python3', ['-m', 'venv', tmp], { timeout: 120_000 });
    } catch (error) {
      fail(tool, 'creating the venv (python3 -m venv)', error);
    }
    try {
      await run(join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '-r', tool.requirements], {
        timeout: tool.installTimeoutMs ?? 600_000,
        env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      });
    } catch (error) {
      fail(tool, `pip install -r ${tool.requirements}`, error);
    }
    const { stdout } = await run(join(tmp, 'bin', 'python'), [...tool.versionCheck]);
    if (!stdout.includes(tool.version)) fail(tool, 'checking the installed version', new Error(stdout));
    writeFileSync(join(tmp, READY), `${tool.version}\n`);
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
