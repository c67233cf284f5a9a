import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlive, processStartTime } from './process.ts';
import { sleep } from './wait.ts';

interface Owner {
  readonly pid: number;
  readonly startTime: string | null;
  readonly token: string;
}

export interface LockOptions {
  /** How long to wait for another holder (default 10 minutes: a holder may be downloading jars). */
  readonly timeoutMs?: number;
  /** Called once when the lock is busy, with the holder's pid. */
  readonly onWait?: (holderPid: number | undefined) => void;
}

const OWNER_FILE = 'owner.json';
/** A lock directory without an owner file older than this is left from a crash between mkdir and write. */
const ORPHAN_MS = 5_000;

function readOwner(lockDir: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(join(lockDir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function isStale(lockDir: string, owner: Owner | undefined): boolean {
  if (owner) return !isAlive(owner);
  try {
    return Date.now() - statSync(lockDir).mtimeMs > ORPHAN_MS;
  } catch {
    return false;
  }
}

function breakStale(lockDir: string, judged: Owner | undefined): void {
  // Re-read right before moving it away, so a lock taken meanwhile by someone else is not broken.
  const now = readOwner(lockDir);
  if (now?.token !== judged?.token) return;
  const aside = `${lockDir}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lockDir, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Runs `fn` while holding a lock directory (atomic `mkdir`) shared by every process on this machine.
 * A lock whose holder died (pid gone or reused) is broken; otherwise this waits for it.
 */
export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(dirname(lockDir), { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      const owner: Owner = { pid: process.pid, startTime: processStartTime(process.pid), token };
      writeFileSync(join(lockDir, OWNER_FILE), JSON.stringify(owner));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockDir);
    if (isStale(lockDir, owner)) {
      breakStale(lockDir, owner);
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.(owner?.pid);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${lockDir} (held by pid ${owner?.pid})`,
      );
    }
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    if (readOwner(lockDir)?.token === token) rmSync(lockDir, { recursive: true, force: true });
  }
}
