import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePythonTool, type PythonTool } from '../helpers/python-venv.js';

/**
 * The Feast releases the SDK test runs, each pinned with its dependencies in `requirements-<version>.txt`:
 * Feast's current release and the latest of the previous minor.
 */
export const FEAST_VERSIONS = ['0.67.0', '0.66.0'] as const;

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** The folder of the Feast repo (features.py, granary-registry.yaml) and the driver script. */
export const FEAST_SDK_DIR = HERE;

/**
 * Returns the Python of a venv holding Feast `version` (from PyPI, pinned), building it on first use (about
 * 1-3 minutes: pandas, pyarrow and numpy are big wheels). A missing Python or PyPI is a loud failure naming
 * what to install.
 */
export function ensureFeast(version: (typeof FEAST_VERSIONS)[number]): Promise<string> {
  const tool: PythonTool = {
    name: 'feast',
    version,
    requirements: join(HERE, `requirements-${version}.txt`),
    neededBy: 'The Feast SDK test (apps/server/test/feast-sdk.test.ts)',
    versionCheck: ['-c', 'import feast; print(feast.__version__)'],
    installTimeoutMs: 900_000,
  };
  return ensurePythonTool(tool);
}
