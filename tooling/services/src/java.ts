import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { which } from './prerequisites.ts';

const run = promisify(execFile);

export interface JavaInfo {
  /** Absolute path of the `java` binary. */
  readonly path: string;
  readonly major: number;
}

/** The Java major version of a `java` binary (`java.specification.version`), or undefined if it fails. */
export async function javaMajor(javaPath: string): Promise<number | undefined> {
  try {
    const { stderr, stdout } = await run(javaPath, ['-XshowSettings:properties', '-version'], {
      timeout: 20_000,
    });
    const match = /java\.specification\.version = (\d+)(?:\.(\d+))?/.exec(`${stderr}\n${stdout}`);
    if (!match) return undefined;
    // Java 8 and older report 1.x.
    return match[1] === '1' ? Number(match[2]) : Number(match[1]);
  } catch {
    return undefined;
  }
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const list: string[] = [];
  if (env.JAVA_HOME) list.push(join(env.JAVA_HOME, 'bin', 'java'));
  const onPath = which('java', env);
  if (onPath) list.push(onPath);
  const jvmRoot = '/usr/lib/jvm';
  if (existsSync(jvmRoot)) {
    for (const entry of readdirSync(jvmRoot).sort()) list.push(join(jvmRoot, entry, 'bin', 'java'));
  }
  return [...new Set(list)].filter((p) => existsSync(p));
}

/**
 * The first `java` that `accept`s its major version, searched in `$JAVA_HOME`, then `PATH`, then
 * `/usr/lib/jvm/*`.
 */
export async function findJava(
  accept: (major: number) => boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JavaInfo | undefined> {
  for (const path of candidates(env)) {
    const major = await javaMajor(path);
    if (major !== undefined && accept(major)) return { path, major };
  }
  return undefined;
}
