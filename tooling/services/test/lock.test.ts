import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { withLock } from '../src/lock.ts';
import { sleep } from '../src/wait.ts';

const root = mkdtempSync(join(tmpdir(), 'granary-lock-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

it('serialises holders of the same lock', async () => {
  const lockDir = join(root, 'a.lock');
  const events: string[] = [];
  const hold = (id: string) =>
    withLock(lockDir, async () => {
      events.push(`${id}+`);
      await sleep(50);
      events.push(`${id}-`);
    });
  await Promise.all([hold('1'), hold('2'), hold('3')]);
  for (let i = 0; i < events.length; i += 2) {
    expect(events[i]?.replace('+', '')).toBe(events[i + 1]?.replace('-', ''));
  }
  expect(events).toHaveLength(6);
});

it('breaks a lock whose holder is dead', async () => {
  const lockDir = join(root, 'b.lock');
  // A process that has exited: its pid is free (or reused with another start time).
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  mkdirSync(lockDir);
  writeFileSync(
    join(lockDir, 'owner.json'),
    JSON.stringify({ pid: Number(dead.stdout), startTime: '1', token: 'x' }),
  );
  const result = await withLock(lockDir, async () => 'got it', { timeoutMs: 2_000 });
  expect(result).toBe('got it');
});

it('times out while a live holder keeps the lock', async () => {
  const lockDir = join(root, 'c.lock');
  let release = () => {};
  const held = withLock(lockDir, () => new Promise<void>((resolve) => (release = resolve)));
  await sleep(20);
  await expect(withLock(lockDir, async () => 'never', { timeoutMs: 500 })).rejects.toThrow(/timed out/);
  release();
  await held;
});
