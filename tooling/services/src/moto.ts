import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeDynamo } from './dynalite.ts';
import { LOCALHOST, PORTS } from './endpoints.ts';
import { withLock } from './lock.ts';
import { runToCompletion } from './process.ts';
import type { ServiceDefinition } from './service.ts';
import type { Toolbox } from './toolbox.ts';
import { MOTO_VERSION } from './versions.ts';

/** Every package of moto's environment, pinned (`pip freeze` of `moto[server]==MOTO_VERSION`). */
const REQUIREMENTS = fileURLToPath(new URL('../moto-requirements.txt', import.meta.url));
/** moto's server, one request at a time (see the script for why). */
const LAUNCHER = fileURLToPath(new URL('../moto-serial.py', import.meta.url));
const PYTHON_INSTALL = 'apt-get install python3 python3-venv (Python 3.9 or newer, with its venv module)';

/** `.services/cache/venv-moto-<version>-<hash of the requirements>`: a new pin set gets a new venv. */
export function motoVenv(cacheDir: string): string {
  const hash = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex').slice(0, 8);
  return join(cacheDir, `venv-moto-${MOTO_VERSION}-${hash}`);
}

/** The venv's interpreter (a symlink to the base Python: it keeps working after the folder is renamed). */
const pythonOf = (venv: string) => join(venv, 'bin', 'python');
const ready = (venv: string) => existsSync(join(venv, '.complete'));

/**
 * Creates the venv once (under a machine-wide lock, built aside and renamed into place, so concurrent starts and
 * an interrupted install never leave a half-made one) and returns its Python, which runs `moto-serial.py`
 * (a `moto_server` script installed there would name the build folder in its shebang).
 */
async function ensureMoto(toolbox: Toolbox, cacheDir: string, log: (m: string) => void): Promise<string> {
  const venv = motoVenv(cacheDir);
  if (ready(venv)) return pythonOf(venv);
  return withLock(`${venv}.lock`, async () => {
    if (ready(venv)) return pythonOf(venv);
    const python = toolbox.which('python3');
    if (!python) throw new Error(`python3 is not on PATH; install: ${PYTHON_INSTALL}`);
    const building = `${venv}.building-${process.pid}`;
    const logFile = `${venv}.log`;
    rmSync(building, { recursive: true, force: true });
    log(`creating ${venv} with moto[server]==${MOTO_VERSION} from PyPI (log: ${logFile})`);
    try {
      await runToCompletion(python, ['-m', 'venv', building], { logFile, timeoutMs: 120_000 });
      const pip = join(building, 'bin', 'pip');
      await runToCompletion(
        pip,
        ['install', '--disable-pip-version-check', '--no-input', '-q', '-r', REQUIREMENTS],
        { logFile, timeoutMs: 900_000, env: toolbox.env },
      );
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      throw new Error(`installing moto failed (see ${logFile}): ${(error as Error).message}`);
    }
    writeFileSync(join(building, '.complete'), `moto[server]==${MOTO_VERSION}\n`);
    rmSync(venv, { recursive: true, force: true });
    renameSync(building, venv);
    return pythonOf(venv);
  });
}

/**
 * moto's DynamoDB (in memory) on 18100, from a pinned venv under `.services/cache/`, serving one request at a
 * time (`moto-serial.py`: moto's threaded server lets concurrent conditional writes race).
 */
export const moto: ServiceDefinition = {
  name: 'moto',
  startTimeoutMs: 30_000,
  stopGraceMs: 5_000,
  localPorts: () => [PORTS.moto],
  async prerequisites(toolbox, cacheDir) {
    if (ready(motoVenv(cacheDir)) || toolbox.which('python3')) return [];
    return [{ service: 'moto', what: '`python3` is not on PATH', install: PYTHON_INSTALL }];
  },
  async start(ctx) {
    const python = await ensureMoto(ctx.toolbox, ctx.cacheDir, ctx.log);
    await ctx.spawn('moto', python, [LAUNCHER, LOCALHOST, String(PORTS.moto)]);
  },
  probe: (endpoints, { timeoutMs }) => probeDynamo(endpoints.moto, timeoutMs),
};
