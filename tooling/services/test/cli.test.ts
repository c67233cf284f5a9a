import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { SERVICE_NAMES } from '../src/index.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
}

it('status --json prints exactly one JSON object with every service', () => {
  const r = run('status', '--json');
  expect(r.status).toBe(0);
  const parsed = JSON.parse(r.stdout) as Record<string, { running: boolean; healthy: boolean; url: string }>;
  expect(Object.keys(parsed)).toEqual([...SERVICE_NAMES]);
  for (const s of Object.values(parsed)) {
    expect(typeof s.running).toBe('boolean');
    expect(typeof s.healthy).toBe('boolean');
    expect(typeof s.url).toBe('string');
  }
});

it('env prints export lines', () => {
  const r = run('env', 'redis', 'kafka');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^export GRANARY_REDIS_URL=\S+\nexport GRANARY_KAFKA_BROKERS=\S+\n$/);
});

it('rejects unknown services and commands with exit code 2', () => {
  expect(run('up', 'mongo').status).toBe(2);
  expect(run('frobnicate').status).toBe(2);
});
