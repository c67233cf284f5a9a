import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  dashboardExprs,
  FILES,
  loadDashboard,
  ROOT,
  ruleTestFiles,
  withoutGrafanaVariables,
} from './pack.ts';

const INSTALL_HINT =
  "install Debian's prometheus package, which ships promtool (apt-get update && apt-get install -y prometheus), " +
  'or set PROMTOOL to the path of a promtool binary';

const promtool = process.env.PROMTOOL ?? 'promtool';

function run(args: string[]) {
  const r = spawnSync(promtool, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`promtool not found (${promtool}): ${INSTALL_HINT}`);
    throw r.error;
  }
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('promtool', () => {
  let scratch = '';

  beforeAll(() => {
    const version = run(['--version']);
    if (version.status !== 0)
      throw new Error(`promtool --version failed: ${version.output}\n${INSTALL_HINT}`);
    scratch = mkdtempSync(path.join(tmpdir(), 'granary-observability-'));
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('checks ops/prometheus/rules.yml', () => {
    const r = run(['check', 'rules', FILES.rules]);
    expect(r.output, r.output).toContain('SUCCESS');
    expect(r.status, r.output).toBe(0);
  });

  it('passes the rule tests in ops/prometheus/tests', () => {
    const files = ruleTestFiles();
    expect(files.length).toBeGreaterThan(0);
    const r = run(['test', 'rules', ...files]);
    expect(r.output, r.output).not.toContain('FAILED');
    expect(r.status, r.output).toBe(0);
  });

  it('parses every PromQL expression of the dashboard', () => {
    const exprs = dashboardExprs(loadDashboard());
    expect(exprs.length).toBeGreaterThan(0);
    const file = path.join(scratch, 'dashboard-exprs.yml');
    const rules = exprs.map((e, i) => ({
      record: `dashboard:expr_${i}`,
      expr: withoutGrafanaVariables(e.expr),
    }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const r = run(['check', 'rules', file]);
    const bad =
      r.status === 0 ? '' : `\n${exprs.map((e, i) => `expr_${i} (${e.where}): ${e.expr}`).join('\n')}`;
    expect(r.status, `${r.output}${bad}`).toBe(0);
  });
});
