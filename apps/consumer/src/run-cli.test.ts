import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName } from '@granary/config';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAGS, runCli, usage } from './run-cli.js';

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
  'registry: { path: registry.yaml }\nkafka: { brokers: [127.0.0.1:1] }\nstore: { type: memory }\n',
);
writeFileSync(
  join(dir, 'bad-registry.yaml'),
  'registry: { path: missing.yaml }\nkafka: { brokers: [127.0.0.1:1] }\nstore: { type: memory }\n',
);

describe('granary-consumer CLI', () => {
  it('--help lists every flag and every setting with its variable and default, exit 0', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    for (const f of FLAGS)
      expect(t.out.stdout).toMatch(new RegExp(`--${f.name}\\b[^\\n]*\\(default: [^)]+\\)`));
    for (const path of [
      ['kafka', 'deadLetterTopic'],
      ['store', 'cassandra', 'keyspace'],
      ['http', 'port'],
    ]) {
      expect(t.out.stdout).toContain(`${path.join('.')}  ${envName(path)}`);
    }
    expect(t.out.stdout).toContain('(default: granary-dead-letters)');
    expect(t.out.stdout).toContain('http.port  GRANARY_HTTP__PORT  (default: 9464)');
    expect(usage()).toBe(t.out.stdout);
  });

  it('exits 2 on an unknown flag, with the usage', async () => {
    const t = io();
    expect(await runCli(['--bogus'], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/Unknown option '--bogus'[\s\S]*Usage:/);
  });

  it('exits 2 on an invalid config or registry, naming the problem', async () => {
    let t = io();
    expect(await runCli([], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/registry\.path: is required/);
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
