import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePythonTool, type PythonTool } from '../helpers/python-venv.js';

/** The Schemathesis release the fuzz test runs (pinned with its dependencies in requirements.txt). */
export const SCHEMATHESIS_VERSION = '4.32.5';

const SCHEMATHESIS: PythonTool = {
  name: 'schemathesis',
  version: SCHEMATHESIS_VERSION,
  requirements: join(fileURLToPath(new URL('.', import.meta.url)), 'requirements.txt'),
  neededBy: 'The OpenAPI fuzz test',
  versionCheck: ['-m', 'schemathesis.cli', '--version'],
};

/**
 * Returns the Python of a venv holding the pinned Schemathesis, building it on first use (about 20 s; see
 * {@link ensurePythonTool}). Run the tool as `<python> -m schemathesis.cli`.
 */
export function ensureSchemathesis(): Promise<string> {
  return ensurePythonTool(SCHEMATHESIS);
}
