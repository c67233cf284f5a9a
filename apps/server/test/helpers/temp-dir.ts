import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder removed after the test file (register with {@link removeTempDirsAfterAll}). */
const created: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `granary-server-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Call once at the top of a test file that uses {@link tempDir}. */
export function removeTempDirsAfterAll(): void {
  afterAll(async () => {
    await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
}
