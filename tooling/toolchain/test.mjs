// The whole test run, as `npm test` / `pnpm test` / .ci/run call it (through run.mjs, on Node >= 22), in two
// phases: (1) the suite: start the real services the integration suites need, then lint, typecheck, build,
// publint and test every package through turbo, then the packaging check (tooling/packaging); (2) the
// topology tests: the production-shaped Redis Cluster (3 masters + 3 replicas) and Cassandra ring (3 nodes,
// RF 3), started here, each package's `test:topology` one package at a time (failover, resharding, node loss).
// Then it stops the services this run started (those already running are left alone). GRANARY_TEST_PHASES
// picks phases (`pnpm test:topology`: topology only).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVICES_CLI = join(ROOT, 'tooling', 'services', 'src', 'cli.ts');
const list = (value) => value.split(/[\s,]+/).filter(Boolean);
const phases = list(process.env.GRANARY_TEST_PHASES ?? 'suite topology');
const suiteServices = list(
  process.env.GRANARY_TEST_SERVICES ?? 'redis redis-cluster dynalite moto kafka cassandra toxiproxy',
);
const topologyServices = list(process.env.GRANARY_TOPOLOGY_SERVICES ?? 'redis-cluster-ha cassandra-ring');
const wanted = [
  ...(phases.includes('suite') ? suiteServices : []),
  ...(phases.includes('topology') ? topologyServices : []),
];

function run(cmd, args, opts = {}) {
  const started = Date.now();
  process.stderr.write(`[granary] $ ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  process.stderr.write(`[granary]   (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.status})\n`);
  return r.status ?? 1;
}

// Streams a command's output while adding up vitest's per-package summaries ("Tests  3 failed | 40 passed | 2 skipped")
// into `totals`; the run prints one closing line for all phases: "tests: N passed, N failed, N skipped".
const totals = { passed: 0, failed: 0, skipped: 0 };
function runCounting(cmd, args) {
  const started = Date.now();
  process.stderr.write(`[granary] $ ${[cmd, ...args].join(' ')}\n`);
  const before = totals.failed;
  let pending = '';
  const scan = (text) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
      const line = raw.replace(/\u001b\[[0-9;]*m/g, '');
      const m = /^(?:.*?:\s+)?\s*Tests\s+(.*\d+ (?:passed|failed|skipped).*)$/.exec(line);
      if (!m) continue;
      for (const [, n, kind] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[kind] += Number(n);
    }
  };
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      scan(d.toString());
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (status) => {
      scan('\n');
      process.stderr.write(`[granary]   (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${status})\n`);
      resolve(totals.failed > before && status === 0 ? 1 : (status ?? 1));
    });
  });
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
/** The turbo run in progress (stopped first when this run is interrupted). */
let running;
// Interrupted (Ctrl-C, or SIGTERM forwarded by run.mjs): stop turbo, then the services this run started.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    process.stderr.write(`[granary] ${sig}: stopping the tests and the services this run started\n`);
    running?.kill('SIGTERM');
    if (startedHere.length > 0) run(process.execPath, [SERVICES_CLI, 'down', ...startedHere]);
    process.exit(130);
  });
}
let code = 0;
const up = (names) => {
  if (names.length === 0 || run(process.execPath, [SERVICES_CLI, 'up', ...names]) === 0) return 0;
  process.stderr.write(
    '[granary] services did not come up; see the messages above and `pnpm services logs`\n',
  );
  return 3;
};
if (phases.includes('suite')) {
  code = up(suiteServices);
  if (code === 0) code = run('biome', ['check', '.']);
  if (code === 0)
    code = await runCounting('turbo', [
      'run',
      'build',
      'typecheck',
      'lint',
      'test',
      '--concurrency=2',
      ...extra,
    ]);
  // The packages as an npm user meets them (tooling/packaging): packed, installed with npm, examples run.
  if (code === 0) code = run(process.execPath, [join(ROOT, 'tooling', 'packaging', 'src', 'cli.ts')]);
}
// Started only now: three Cassandra JVMs and six Redis nodes would slow the suite down on two cores.
if (code === 0 && phases.includes('topology')) code = up(topologyServices);
if (code === 0 && phases.includes('topology')) {
  // One package at a time: each injects faults (kills nodes) into the topology services.
  code = await runCounting('turbo', ['run', 'test:topology', '--concurrency=1', ...extra]);
}
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
if (startedHere.length > 0) run(process.execPath, [SERVICES_CLI, 'down', ...startedHere]);
process.exit(code);
