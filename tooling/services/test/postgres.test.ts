import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { hasAccount, postgresBinDir } from '../src/postgres.ts';
import type { Toolbox } from '../src/toolbox.ts';

const dir = mkdtempSync(join(tmpdir(), 'granary-postgres-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const toolbox = (found: Record<string, string> = {}): Toolbox =>
  ({ env: {}, which: (c: string) => found[c] }) as unknown as Toolbox;

it("finds the newest major version in Debian's layout, else initdb on PATH", () => {
  for (const major of ['13', '15', '9']) {
    mkdirSync(join(dir, 'lib', major, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'lib', major, 'bin', 'initdb'), '');
  }
  mkdirSync(join(dir, 'lib', '16'), { recursive: true }); // a major version without binaries
  expect(postgresBinDir(toolbox(), join(dir, 'lib'))).toBe(join(dir, 'lib', '15', 'bin'));
  expect(postgresBinDir(toolbox({ initdb: '/opt/pg/bin/initdb' }), join(dir, 'none'))).toBe('/opt/pg/bin');
  expect(postgresBinDir(toolbox(), join(dir, 'none'))).toBeUndefined();
});

it('reads accounts from a passwd file', () => {
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, 'root:x:0:0::/root:/bin/bash\npostgres:x:101:104::/var/lib/postgresql:/bin/bash\n');
  expect(hasAccount('postgres', passwd)).toBe(true);
  expect(hasAccount('postgre', passwd)).toBe(false);
  expect(hasAccount('postgres', join(dir, 'missing'))).toBe(false);
});
