import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProcessSupervisor, type SupervisedChild } from './process-supervisor.ts';

let dir: string;
const started: SupervisedChild[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'granary-drills-test-'));
});

afterEach(() => {
  for (const { proc } of started.splice(0)) {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A node child running `script`, after printing `ready`. */
function nodeChild(supervisor: ReturnType<typeof createProcessSupervisor>, name: string, script: string) {
  const child = supervisor.start({
    name,
    command: process.execPath,
    args: ['-e', `${script}; console.log('ready'); setInterval(() => {}, 1000);`],
    logFile: join(dir, `${name}.log`),
    env: { DRILL_TEST_VALUE: 'from-env' },
  });
  started.push(child);
  return child;
}

async function ready(child: SupervisedChild): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!child.output().includes('ready')) {
    if (Date.now() > deadline) throw new Error(`${child.name} not ready: ${child.output()}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

const exited = (child: SupervisedChild) =>
  new Promise<{ code: number | null; signal: string | null }>((ok) => {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      ok({ code: child.proc.exitCode, signal: child.proc.signalCode });
    } else child.proc.once('exit', (code, signal) => ok({ code, signal }));
  });

describe('createProcessSupervisor', () => {
  it('captures output and logs, runs cleanups newest first, then stops the children with SIGTERM', async () => {
    const events: string[] = [];
    const supervisor = createProcessSupervisor({ log: (m) => events.push(`log ${m}`) });
    const child = nodeChild(
      supervisor,
      'worker',
      "console.log(process.env.DRILL_TEST_VALUE); process.on('SIGTERM', () => { console.log('term'); process.exit(7); })",
    );
    await ready(child);
    expect(child.output()).toContain('from-env');
    supervisor.onCleanup(async () => {
      events.push(`first (child running: ${child.proc.exitCode === null})`);
    });
    supervisor.onCleanup(async () => {
      events.push('second');
    });
    const end = exited(child);
    await supervisor.shutdown();
    expect(await end).toEqual({ code: 7, signal: null });
    expect(events).toEqual(['second', 'first (child running: true)']);
    expect(readFileSync(join(dir, 'worker.log'), 'utf8')).toContain('from-env');
    // A second shutdown is the first one: nothing runs again.
    await supervisor.shutdown();
    expect(events).toHaveLength(2);
  });

  it('moves on from a cleanup step that hangs', async () => {
    const supervisor = createProcessSupervisor({ cleanupStepMs: 50 });
    let after = false;
    supervisor.onCleanup(async () => {
      after = true;
    });
    supervisor.onCleanup(() => new Promise<void>(() => undefined));
    supervisor.onCleanup(async () => {
      throw new Error('ignored');
    });
    await supervisor.shutdown();
    expect(after).toBe(true);
  });

  it('sends SIGKILL to a child still running after the grace time, and says so', async () => {
    const lines: string[] = [];
    const supervisor = createProcessSupervisor({ log: (m) => lines.push(m), stopGraceMs: 300 });
    const child = nodeChild(supervisor, 'stubborn', "process.on('SIGTERM', () => {})");
    await ready(child);
    const end = exited(child);
    await supervisor.shutdown();
    expect(await end).toEqual({ code: null, signal: 'SIGKILL' });
    expect(lines).toEqual([`  stubborn (pid ${child.proc.pid}) did not stop on SIGTERM: SIGKILL`]);
  });

  it('continues a paused child before SIGTERM, so it stops gracefully', async () => {
    const lines: string[] = [];
    const supervisor = createProcessSupervisor({ log: (m) => lines.push(m), stopGraceMs: 5_000 });
    const child = nodeChild(
      supervisor,
      'paused',
      "process.on('SIGTERM', () => { console.log('graceful'); process.exit(0); })",
    );
    await ready(child);
    supervisor.pause(child);
    const end = exited(child);
    await supervisor.shutdown();
    expect(await end).toEqual({ code: 0, signal: null });
    expect(child.output()).toContain('graceful');
    expect(lines).toEqual([]);
  });

  it('pauses and resumes a child by its pid', async () => {
    const supervisor = createProcessSupervisor();
    const child = nodeChild(supervisor, 'ticker', "setInterval(() => console.log('tick'), 20)");
    await ready(child);
    const state = () => readFileSync(`/proc/${child.proc.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    supervisor.pause(child);
    await new Promise((ok) => setTimeout(ok, 100));
    expect(state()).toBe('T');
    const frozen = child.output().length;
    await new Promise((ok) => setTimeout(ok, 100));
    expect(child.output().length).toBe(frozen);
    supervisor.resume(child);
    // Resumed: it ticks again (polled, so a slow machine only makes the test wait longer).
    for (let i = 0; i < 100 && child.output().length === frozen; i++)
      await new Promise((ok) => setTimeout(ok, 50));
    expect(child.output().length).toBeGreaterThan(frozen);
    await supervisor.shutdown();
  });
});
