import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envName, SETTINGS } from './config-schema.js';
import { runCli, usage } from './run-cli.js';

function io(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      env,
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      signal: new Promise<string>(() => {}),
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'granary-consumer-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'registry.yaml'),
  'entities:\n  - { name: user, joinKeys: [user_id] }\nviews:\n  - name: v\n    entity: user\n    maxAge: 1h\n    source: { topic: events }\n    features: [{ name: f, type: float64 }]\n',
);
writeFileSync(
  join(dir, 'ok.yaml'),
  'registry: registry.yaml\nkafka: { brokers: [127.0.0.1:1] }\nstore: { kind: memory }\n',
);
writeFileSync(join(dir, 'bad-registry.yaml'), 'registry: missing.yaml\nkafka: { brokers: [127.0.0.1:1] }\n');

describe('granary-consumer CLI', () => {
  it('--help lists every flag and every setting with its variable and default, exit 0', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    for (const flag of ['--config', '--log-level', '--check', '--help']) expect(t.out.stdout).toContain(flag);
    for (const s of SETTINGS) {
      expect(t.out.stdout).toContain(s.path);
      expect(t.out.stdout).toContain(envName(s.path));
    }
    expect(t.out.stdout).toContain('"granary-dead-letters"');
    expect(usage()).toBe(t.out.stdout);
  });

  it('exits 2 on an unknown flag, with the usage', async () => {
    const t = io();
    expect(await runCli(['--bogus'], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/Unknown option '--bogus'[\s\S]*usage:/);
  });

  it('exits 2 on an invalid config or registry, naming the problem', async () => {
    let t = io();
    expect(await runCli([], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/registry: is required/);
    t = io();
    expect(await runCli(['--config', join(dir, 'bad-registry.yaml')], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/missing\.yaml/);
  });

  it('--check validates config and registry and exits 0', async () => {
    const t = io({ GRANARY_CONFIG: join(dir, 'ok.yaml') });
    expect(await runCli(['--check'], t.io)).toBe(0);
    expect(t.out.stdout).toMatch(/configuration ok/);
  });
});
