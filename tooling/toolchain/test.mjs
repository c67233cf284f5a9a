// The whole test run, as `npm test` / `pnpm test` / .ci/run call it (through run.mjs, on Node >= 22):
// start the real services the integration suites need, then lint, typecheck, build, publint and test every
// package through turbo, then stop the services this run started (those already running are left alone).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVICES_CLI = join(ROOT, 'tooling', 'services', 'src', 'cli.ts');
const wanted = (process.env.GRANARY_TEST_SERVICES ?? 'redis redis-cluster dynalite kafka cassandra toxiproxy')
  .split(/[\s,]+/)
  .filter(Boolean);

function run(cmd, args, opts = {}) {
  const started = Date.now();
  process.stderr.write(`[granary] $ ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  process.stderr.write(`[granary]   (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.status})\n`);
  return r.status ?? 1;
}

function status() {
  const r = spawnSync(process.execPath, [SERVICES_CLI, 'status', '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return {};
  try {
    return JSON.parse(r.stdout);
  } catch {
    return {};
  }
}

const extra = process.argv.slice(2);
const before = status();
const startedHere = wanted.filter((s) => !before[s]?.running);
let code = 0;
if (wanted.length > 0 && run(process.execPath, [SERVICES_CLI, 'up', ...wanted]) !== 0) {
  process.stderr.write('[granary] services did not come up; see the messages above and `pnpm services logs`\n');
  code = 3;
}
if (code === 0) code = run('biome', ['check', '.']);
if (code === 0) code = run('turbo', ['run', 'build', 'typecheck', 'lint', 'test', '--concurrency=2', ...extra]);
if (startedHere.length > 0) run(process.execPath, [SERVICES_CLI, 'down', ...startedHere]);
process.exit(code);
