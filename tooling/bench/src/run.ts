/**
 * Granary core benchmarks: `node tooling/bench/src/run.ts [scenario...]` (default: every scenario).
 * Needs @granary/core built (`pnpm --filter @granary/core build`; `pnpm bench` at the root does it through
 * turbo). Each scenario runs in a fresh Node process (its own heap and JIT, so one scenario's garbage does not
 * pause the next), prints a summary and writes tooling/bench/results/<scenario>-<date>.json.
 * The adapter benchmarks (src/adapters/*.ts) are separate scripts.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machine, type TargetResult, writeResult } from './lib/machine.ts';
import { overheadScenario } from './scenarios/overhead.ts';
import type { Scenario } from './scenarios/scenario.ts';
import { stampedeScenario } from './scenarios/stampede.ts';
import { storeDownScenario } from './scenarios/store-down.ts';
import { zipfScenario } from './scenarios/zipf.ts';

const SCENARIOS: readonly Scenario[] = [zipfScenario, stampedeScenario, storeDownScenario, overheadScenario];

/** Runs one scenario in this process and reports its targets to the parent. */
async function child(name: string): Promise<void> {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const started = performance.now();
  console.log(`\n== ${scenario.name}: ${scenario.description} (load average ${machine().loadAverage1m})`);
  const result = await scenario.run();
  const path = writeResult(scenario.name, { description: scenario.description, ...result });
  for (const t of result.targets)
    console.log(`  ${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.actual} (target ${t.target})`);
  console.log(`  ${JSON.stringify(result.results)}`);
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s, results: ${path}`);
  process.send?.({ targets: result.targets });
}

/** Runs a scenario in a child process; resolves with its targets. */
function runIsolated(name: string): Promise<readonly TargetResult[]> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', name], { stdio: 'inherit' });
    let targets: readonly TargetResult[] | undefined;
    proc.on('message', (m: { targets: readonly TargetResult[] }) => {
      targets = m.targets;
    });
    proc.on('error', reject);
    proc.on('exit', (code) =>
      code === 0 && targets
        ? resolve(targets)
        : reject(new Error(`scenario ${name} exited with code ${code}`)),
    );
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] ?? '');
    return 0;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: node tooling/bench/src/run.ts [scenario...]\n\nscenarios:');
    for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(12)} ${s.description}`);
    return 0;
  }
  const unknown = args.filter((a) => !SCENARIOS.some((s) => s.name === a));
  if (unknown.length) {
    console.error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const selected = args.length ? SCENARIOS.filter((s) => args.includes(s.name)) : SCENARIOS;
  const m = machine();
  console.log(`granary core benchmarks on ${m.cores} cores (${m.cpu}), Node ${m.node}`);
  let missed = 0;
  for (const scenario of selected) {
    const targets = await runIsolated(scenario.name);
    missed += targets.filter((t) => !t.met).length;
  }
  console.log(missed ? `\n${missed} target(s) missed` : '\nall targets met');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(3);
  },
);
