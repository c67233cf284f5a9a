import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToCompletion } from './process.ts';
import { MAVEN_DEPENDENCY_PLUGIN_VERSION } from './versions.ts';

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

/** A named set of artifacts whose runtime dependencies are copied into one `lib/` folder. */
export interface JarSet {
  /** Folder name under `.services/cache/jars/`, including the version (e.g. `kafka-3.9.1`). */
  readonly name: string;
  readonly artifacts: readonly MavenArtifact[];
}

const COMPLETE = '.complete';

export function jarSetDir(cacheDir: string, set: JarSet): string {
  return join(cacheDir, 'jars', set.name);
}

/** The `lib/` folder of a jar set, for `-cp '<lib>/*'`. */
export function jarSetLib(cacheDir: string, set: JarSet): string {
  return join(jarSetDir(cacheDir, set), 'lib');
}

export function jarSetCached(cacheDir: string, set: JarSet): boolean {
  return existsSync(join(jarSetDir(cacheDir, set), COMPLETE));
}

function pom(set: JarSet): string {
  const deps = set.artifacts
    .map(
      (a) =>
        `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId>` +
        `<version>${a.version}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by tooling/services: only used to fetch ${set.name}'s jars from Maven Central. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.granary.services</groupId>
  <artifactId>${set.name}</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

/**
 * Copies the jar set (with its runtime dependencies) from Maven Central into the cache, once. Later calls
 * return the cached folder without running Maven. Output of `mvn` goes to `mvn.log` beside the jars.
 */
export async function ensureJars(cacheDir: string, set: JarSet, log: (msg: string) => void): Promise<string> {
  const dir = jarSetDir(cacheDir, set);
  const lib = jarSetLib(cacheDir, set);
  if (jarSetCached(cacheDir, set)) return lib;
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, 'lib.partial');
  rmSync(partial, { recursive: true, force: true });
  rmSync(lib, { recursive: true, force: true });
  writeFileSync(join(dir, 'pom.xml'), pom(set));
  const logFile = join(dir, 'mvn.log');
  log(`fetching ${set.name} jars with Maven (log: ${logFile})`);
  await runToCompletion(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(dir, 'pom.xml'),
      `org.apache.maven.plugins:maven-dependency-plugin:${MAVEN_DEPENDENCY_PLUGIN_VERSION}:copy-dependencies`,
      `-DoutputDirectory=${partial}`,
      '-DincludeScope=runtime',
    ],
    { cwd: dir, logFile, timeoutMs: 900_000 },
  ).catch((error: unknown) => {
    throw new Error(`fetching ${set.name} jars failed (see ${logFile}): ${(error as Error).message}`);
  });
  renameSync(partial, lib);
  writeFileSync(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  return lib;
}
