#!/usr/bin/env node
// The packaging check (tooling/packaging/README.md): `node tooling/packaging/src/cli.ts [--keep] [--skip-build]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runPackagingCheck } from './packaging-check.ts';
import { runCommand } from './process.ts';
import { createRecorder, summary, writeReport } from './report.ts';

const HELP = `node tooling/packaging/src/cli.ts [flags]
  --keep         keep the temporary folder (tarballs and the npm project) even when the check passes
  --skip-build   do not run \`turbo run build\` first (the packages are built already)
  --help         this text
Writes tooling/packaging/results/packaging.json; exit 0 when every check passed, 1 otherwise, 2 bad usage.
`;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RESULTS = join(ROOT, 'tooling', 'packaging', 'results', 'packaging.json');

async function main(argv: string[]): Promise<number> {
  let values: { keep?: boolean; 'skip-build'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { keep: { type: 'boolean' }, 'skip-build': { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const workDir = mkdtempSync(join(tmpdir(), 'granary-packaging-'));
  const npm = await runCommand('npm', ['--version'], { cwd: workDir, timeoutMs: 30_000 });
  const rec = createRecorder();
  const sizes = await runPackagingCheck(
    { root: ROOT, workDir, skipBuild: values['skip-build'] === true },
    rec,
  );
  const report = {
    startedAt,
    node: process.versions.node,
    npm: npm.stdout.trim() || `unavailable (${npm.stderr.trim()})`,
    phases: rec.phases,
    sizes,
    totalMs: performance.now() - started,
  };
  writeReport(RESULTS, report);
  process.stdout.write(summary(report));
  if (rec.failed() || values.keep) process.stdout.write(`kept for inspection: ${workDir}\n`);
  else rmSync(workDir, { recursive: true, force: true });
  return rec.failed() ? 1 : 0;
}

// kafkajs 2.2.4 (used by the services' health checks) schedules a negative timeout; Node >= 23 warns about it.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning')
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`packaging: crashed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(3);
  },
);
