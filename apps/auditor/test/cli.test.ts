import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serviceEndpoints } from '@granary/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAGS } from '../src/cli/flags.js';
import { type CliIo, runCli } from '../src/cli/run-cli.js';
import type { AuditReport } from '../src/report/report.js';
import {
  AUDIT_TIME,
  DRIFT,
  type Drift,
  deletePrefix,
  onlineWrites,
  redisStore,
  uniquePrefix,
  writeOfflineData,
} from './helpers/fixture.js';

const NO_DRIFT: Drift = {
  dropped: [],
  reordered: [10, 11],
  lagging: [],
  missing: [],
  extra: [],
  ahead: [50],
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], io: CliIo = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const logs = new Writable({ write: (_c, _e, cb) => cb() });
  const code = await runCli(argv, {
    env: {},
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    logStream: logs,
    ...io,
  });
  return { code, stdout, stderr };
}

const scenarios: Array<{
  name: string;
  drift: Drift;
  dir: string;
  prefix: string;
  cleanup: () => Promise<void>;
}> = [];

async function scenario(name: string, drift: Drift) {
  const data = await writeOfflineData(drift);
  const prefix = uniquePrefix(`cli-${name}`);
  const store = await redisStore(prefix);
  await store.write(onlineWrites(drift));
  await store.close();
  const config = `# auditor config for the ${name} scenario
registry: { path: registry.yaml }
store:
  type: redis
  redis: { url: ${serviceEndpoints().redis.url}, keyPrefix: "${prefix}" }
offline:
  root: data
audit:
  sampleSize: 1000
  seed: 3
  allowedLag: 5m
  time: ${new Date(AUDIT_TIME).toISOString()}
experiments:
  - name: high_ctr
    rule: { feature: user_stats:ctr, op: ">", value: 0.5 }
`;
  await writeFile(join(data.dir, 'auditor.yaml'), config);
  const s = { name, drift, dir: data.dir, prefix, cleanup: data.cleanup };
  scenarios.push(s);
  return s;
}

let clean: Awaited<ReturnType<typeof scenario>>;
let drifted: Awaited<ReturnType<typeof scenario>>;
let served: Awaited<ReturnType<typeof scenario>>;
beforeAll(async () => {
  clean = await scenario('clean', NO_DRIFT);
  drifted = await scenario('drift', DRIFT);
  served = await scenario('serve', DRIFT);
});
afterAll(async () => {
  for (const s of scenarios) {
    await deletePrefix(s.prefix);
    await s.cleanup();
  }
});

describe('granary-auditor CLI', () => {
  it('--help lists every flag with its default and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const f of FLAGS) expect(r.stdout).toMatch(new RegExp(`--${f.name}\\b[^\\n]*\\(default: [^)]+\\)`));
    expect(r.stdout).toContain('--sample-size <n>');
    expect(r.stdout).toMatch(/--sample-size <n>.*\(default: 1000\)/);
  });

  it('exits 0 on a clean store, with the table on stdout and JSON and Markdown files', async () => {
    const json = join(clean.dir, 'out', 'report.json');
    const md = join(clean.dir, 'report.md');
    const r = await run(['--config', join(clean.dir, 'auditor.yaml'), '--json', json, '--markdown', md]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('user_stats:clicks');
    expect(r.stdout).toContain('Result: OK');
    const report = JSON.parse(await readFile(json, 'utf8')) as AuditReport;
    expect(report.ok).toBe(true);
    expect(report.views[0]?.features.every((f) => f.mismatched === 0 && f.missing === 0)).toBe(true);
    expect(report.views[0]?.features[0]?.ahead).toBe(1);
    expect(await readFile(md, 'utf8')).toMatch(/^# Granary audit[\s\S]*\| user_stats:clicks/);
  });

  it('exits 1 on breached thresholds; --repair fixes the drift so the next run exits 0', async () => {
    const config = join(drifted.dir, 'auditor.yaml');
    const first = await run(['--config', config, '--json', '-', '--no-table']);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as AuditReport;
    expect(report.ok).toBe(false);
    expect(report.breaches.map((b) => `${b.check} ${b.subject}`).sort()).toEqual(
      [
        'mismatchRate user_stats:clicks',
        'mismatchRate user_stats:ctr',
        'missingRate user_stats:clicks',
        'missingRate user_stats:ctr',
        'missingRate user_stats:country',
        'extraRate user_stats:clicks',
        'extraRate user_stats:ctr',
        'extraRate user_stats:country',
        'segmentFlipRate high_ctr',
        // SMAPE of clicks is tiny (adjacent counts), of ctr large: 0.82 vs 0.2x.
        'smape user_stats:ctr',
      ].sort(),
    );
    const repaired = await run(['--config', config, '--repair', '--json', '-', '--no-table']);
    expect(repaired.code).toBe(1); // the run found drift before repairing it
    const rr = JSON.parse(repaired.stdout) as AuditReport;
    expect(rr.repair?.[0]).toMatchObject({ attempted: 55, repaired: 55, keptNewer: 0, unresolved: 0 });
    // Extra values (online only) are never deleted and keep their segment flips: with those two checks
    // relaxed through the environment, the next run is clean.
    const after = await run(['--config', config, '--json', '-', '--no-table'], {
      env: { GRANARY_THRESHOLDS__EXTRA_RATE: '0.5', GRANARY_THRESHOLDS__SEGMENT_FLIP_RATE: '0.05' },
    });
    const ar = JSON.parse(after.stdout) as AuditReport;
    expect(ar.breaches).toEqual([]);
    expect(ar.views[0]?.features.map((f) => [f.mismatched, f.missing, f.extra])).toEqual([
      [0, 0, 3],
      [0, 0, 3],
      [0, 0, 3],
    ]);
    expect(ar.segments[0]).toMatchObject({ onlineOnly: DRIFT.extra.length, offlineOnly: 0 });
    expect(after.code).toBe(0);
  });

  it('exits 2 on bad usage and bad config, naming the file, path and line, variable or flag', async () => {
    const config = join(clean.dir, 'auditor.yaml');
    const bad = async (name: string, text: string) => {
      const path = join(clean.dir, name);
      await writeFile(path, text);
      return run(['--config', path]);
    };
    expect((await run(['--bogus'])).code).toBe(2);
    expect((await run(['--bogus'])).stderr).toMatch(/Unknown option '--bogus'/);
    const typo = await bad('typo.yaml', 'registry: { path: registry.yaml }\naudit:\n  sampleSise: 10\n');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      `${join(clean.dir, 'typo.yaml')}: audit.sampleSise: unknown key "sampleSise"`,
    );
    expect(typo.stderr).toContain('(line 3)');
    const type = await bad(
      'type.yaml',
      'registry: { path: registry.yaml }\naudit:\n  allowedLag: 5 minutes\n',
    );
    expect(type.stderr).toMatch(
      /type\.yaml: audit\.allowedLag: must be a duration such as .*, got string "5 minutes" \(line 3\)/,
    );
    const rule = await bad(
      'rule.yaml',
      `registry: { path: registry.yaml }\nstore: { type: memory }\noffline: { root: data }\nexperiments:\n  - name: x\n    rule: { all: [ { feature: "user_stats:ctr", op: "~", value: 1 } ] }\n`,
    );
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/rule\.yaml: experiments\[0\]\.rule\.all\[0\]\.op: unknown op "~"/);
    const ref = await bad(
      'ref.yaml',
      `registry: { path: registry.yaml }\nstore: { type: memory }\nexperiments:\n  - name: x\n    rule: { feature: "user_stats:nope", op: is_null }\n`,
    );
    expect(ref.stderr).toMatch(
      /ref\.yaml: experiments\[0\]\.rule\.feature: unknown feature "user_stats:nope"/,
    );
    expect((await bad('yaml.yaml', 'registry: [unclosed\n')).stderr).toMatch(/yaml\.yaml: invalid YAML/);
    const noRegistry = await bad('noreg.yaml', 'store: { type: memory }\n');
    expect(noRegistry.stderr).toMatch(/noreg\.yaml: registry\.path: is required/);
    const missingRegistry = await bad(
      'missing.yaml',
      'registry: { path: nowhere.yaml }\nstore: { type: memory }\n',
    );
    expect(missingRegistry.code).toBe(2);
    expect(missingRegistry.stderr).toContain('nowhere.yaml');
    const env = await run(['--config', config], { env: { GRANARY_AUDIT__SAMPLE_SIZE: 'many' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(
      /environment GRANARY_AUDIT__SAMPLE_SIZE: audit\.sampleSize: must be an integer >= 1, got string "many"/,
    );
    const envKey = await run(['--config', config], { env: { GRANARY_AUDIT__SAMPEL: '1' } });
    expect(envKey.stderr).toMatch(/environment GRANARY_AUDIT__SAMPEL: audit\.sampel: unknown key "sampel"/);
    const flag = await run(['--config', config, '--sample-size', '0']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--sample-size: audit\.sampleSize: must be an integer >= 1, got number 0/);
    const view = await run(['--config', config, '--views', 'user_stats,nope']);
    expect(view.code).toBe(2);
    expect(view.stderr).toMatch(/unknown view "nope"/);
    const missingFile = await run(['--config', join(clean.dir, 'absent.yaml')]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/absent\.yaml: cannot read the config file/);
  });

  it('--serve exposes Prometheus metrics from its own registry and stops gracefully on abort', async () => {
    const controller = new AbortController();
    let listening: (a: { host: string; port: number }) => void = () => {};
    const address = new Promise<{ host: string; port: number }>((resolve) => {
      listening = resolve;
    });
    const done = run(
      ['--config', join(served.dir, 'auditor.yaml'), '--serve', '--port', '0', '--interval', '1h'],
      {
        signal: controller.signal,
        onListening: (a) => listening(a),
      },
    );
    const { host, port } = await address;
    let body = '';
    for (let i = 0; i < 100 && !body.includes('granary_audit_runs_total{result="breach"} 1'); i++) {
      body = await (await fetch(`http://${host}:${port}/metrics`)).text();
      if (!body.includes('result="breach"} 1')) await new Promise((r) => setTimeout(r, 50));
    }
    expect(body).toContain('granary_audit_runs_total{result="breach"} 1');
    expect(body).toMatch(/granary_audit_mismatch_ratio\{view="user_stats",feature="clicks"\} 0\.\d+/);
    expect(body).toContain('granary_audit_segment_flip_ratio{experiment="high_ctr"}');
    expect(body).toContain('granary_audit_values{view="user_stats",feature="clicks",outcome="missing"} 5');
    expect((await fetch(`http://${host}:${port}/healthz`)).status).toBe(200);
    controller.abort();
    const r = await done;
    expect(r.code).toBe(0);
  });
});
