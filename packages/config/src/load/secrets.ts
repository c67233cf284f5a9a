import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { kindOf, objectBranch, visitValues } from '../schema/schema-walk.js';
import { isTree } from '../schema/values.js';
import type { ConfigProblem, ConfigSources } from './config-source.js';
import { envName } from './env-overrides.js';

const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]+@/i;

/**
 * A secret given in the config file (refused: it belongs in the environment or in the file its `...File`
 * setting names), or a URL carrying a password in the file.
 */
export function findSecretInFile(
  schema: TSchema,
  tree: unknown,
  sources: ConfigSources,
): ConfigProblem | undefined {
  let found: ConfigProblem | undefined;
  visitValues(schema, tree, (s, value, path) => {
    if (found || value === undefined || !sources.fromFile(path)) return;
    const last = String(path[path.length - 1]);
    if (kindOf(s) === 'secret') {
      found = {
        path,
        problem: `secrets do not belong in a file: set ${envName(path)}, or ${last}File to a file holding it`,
      };
    } else if (kindOf(s) === 'url' && typeof value === 'string' && URL_WITH_PASSWORD.test(value)) {
      found = { path, problem: `a URL with a password does not belong in a file: set ${envName(path)}` };
    }
  });
  return found;
}

/**
 * Fills each secret left unset from the file its `<name>File` setting names (trailing whitespace trimmed).
 * Mutates `config` (the loader's own object). Returns the problem when a file cannot be read.
 */
export function readSecretFiles(schema: TSchema, config: unknown): ConfigProblem | undefined {
  let problem: ConfigProblem | undefined;
  visitValues(schema, config, (s, value, path) => {
    const object = objectBranch(s);
    if (problem || !object || !isTree(value)) return;
    for (const [name, field] of Object.entries(object.properties)) {
      const file = value[`${name}File`];
      if (kindOf(field) !== 'secret' || value[name] !== undefined || typeof file !== 'string') continue;
      try {
        value[name] = readFileSync(file, 'utf8').trimEnd();
      } catch (error) {
        problem = {
          path: [...path, `${name}File`],
          problem: `cannot read the file: ${(error as Error).message}`,
        };
        return;
      }
    }
  });
  return problem;
}
