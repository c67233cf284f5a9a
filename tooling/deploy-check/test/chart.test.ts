import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDITOR_CONFIG } from '@granary/auditor';
import { loadConfig } from '@granary/config';
import { CONSUMER_CONFIG } from '@granary/consumer';
import { SERVER_CONFIG } from '@granary/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  findManifest,
  helm,
  type Manifest,
  parseManifests,
  templateArgs,
  valuesFiles,
} from '../src/chart.ts';
import { buildChecker, ensureHelm, KUBE_VERSION, runChecker } from '../src/go-build.ts';
import { CHART_DIR, ROOT } from '../src/paths.ts';
import { layOutContainer } from '../src/pod-files.ts';

let helmBin = '';
let checker = '';
let scratch = '';
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'granary-deploy-check-'));
  [helmBin, checker] = await Promise.all([ensureHelm(), buildChecker(scratch)]);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the cluster would hold for the Secrets the values files name (the chart renders none of them). */
const CLUSTER_SECRETS = {
  'granary-api-keys': { 'keys.yaml': '- { name: ci, scopes: [read], key: ci-key-0123456789abcdef }\n' },
  'granary-redis': { password: 'not-a-real-password' },
  'granary-cassandra': { password: 'not-a-real-password' },
};

type Definition = Parameters<typeof loadConfig>[0];
const APPS: Record<string, Definition> = {
  server: SERVER_CONFIG as unknown as Definition,
  consumer: CONSUMER_CONFIG as unknown as Definition,
  auditor: AUDITOR_CONFIG as unknown as Definition,
};

describe.each(valuesFiles())('the chart with $name', ({ name, files }) => {
  let manifests: Manifest[] = [];
  let rendered = '';

  beforeAll(async () => {
    const r = await helm(helmBin, templateArgs('granary', files));
    expect(r.code, r.stderr).toBe(0);
    rendered = join(scratch, `${name.replaceAll('/', '-')}.rendered.yaml`);
    writeFileSync(rendered, r.stdout);
    manifests = parseManifests(r.stdout);
  });

  it('passes helm lint --strict', async () => {
    const r = await helm(helmBin, [
      'lint',
      '--strict',
      CHART_DIR,
      '--kube-version',
      KUBE_VERSION,
      ...files.flatMap((f) => ['-f', f]),
    ]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('0 chart(s) failed');
  });

  it('decodes strictly into the Kubernetes API types, every reference resolving', async () => {
    const report = await runChecker(checker, ['manifests', rendered]);
    expect(report.problems).toEqual([]);
    expect(report.documents.map((d) => `${d.apiVersion}/${d.kind}`)).toEqual(
      manifests.map((m) => `${m.apiVersion}/${m.kind}`),
    );
    expect(report.externalSecrets).toContain('granary-api-keys');
  });

  it('renders the server (Deployment, Service, HPA, PDB), the consumer and the auditor CronJob', () => {
    const kinds = new Set(manifests.map((m) => `${m.kind}/${m.metadata.name}`));
    for (const k of [
      'Deployment/granary-server',
      'Service/granary-server',
      'HorizontalPodAutoscaler/granary-server',
      'PodDisruptionBudget/granary-server',
      'Deployment/granary-consumer',
      'CronJob/granary-auditor',
      'ConfigMap/granary-server',
      'ConfigMap/granary-consumer',
      'ConfigMap/granary-auditor',
      'ConfigMap/granary-registry',
    ])
      expect(kinds).toContain(k);
  });

  it.each(Object.keys(APPS))("renders a %s ConfigMap the app's own loader accepts", (app) => {
    const root = join(scratch, `${name.replaceAll('/', '-')}-${app}`);
    const container = layOutContainer(manifests, `-${app}`, root, CLUSTER_SECRETS);
    const file = container.env.GRANARY_CONFIG ?? container.env.GRANARY_AUDITOR_CONFIG;
    expect(file, 'the chart sets GRANARY_CONFIG or GRANARY_AUDITOR_CONFIG').toBeDefined();
    const definition = APPS[app] as Definition;
    const { config } = loadConfig(definition, { file: file as string, env: {} });
    expect((config as { store: { type: string } }).store.type).toBe(
      (parse(readFileSync(file as string, 'utf8')) as { store: { type: string } }).store.type,
    );
  });
});

describe('the chart with monitoring on', () => {
  let manifests: Manifest[] = [];
  beforeAll(async () => {
    const r = await helm(
      helmBin,
      templateArgs('granary', [], {
        'monitoring.serviceMonitor.enabled': true,
        'monitoring.prometheusRule.enabled': true,
      }),
    );
    expect(r.code, r.stderr).toBe(0);
    manifests = parseManifests(r.stdout);
  });

  it('builds the PrometheusRule from ops/prometheus/rules.yml, unchanged', () => {
    const rule = findManifest(manifests, 'PrometheusRule', 'granary') as Manifest & { spec: unknown };
    expect(rule.spec).toEqual(parse(readFileSync(join(ROOT, 'ops/prometheus/rules.yml'), 'utf8')));
  });

  it('ships the dashboard as a ConfigMap, byte for byte', () => {
    const cm = findManifest(manifests, 'ConfigMap', '-dashboard') as Manifest & {
      data: Record<string, string>;
    };
    expect(cm.data['granary-dashboard.json']?.trimEnd()).toBe(
      readFileSync(join(ROOT, 'ops/grafana/granary-dashboard.json'), 'utf8').trimEnd(),
    );
    expect(cm.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
  });

  it('scrapes the server and the consumer with ServiceMonitors', () => {
    expect(manifests.filter((m) => m.kind === 'ServiceMonitor').map((m) => m.metadata.name)).toEqual([
      'granary-server',
      'granary-consumer',
    ]);
  });
});

describe('the chart refuses', () => {
  const refused = async (setJson: Record<string, unknown>) => {
    const r = await helm(helmBin, templateArgs('granary', [], setJson));
    expect(r.code).not.toBe(0);
    return r.stderr;
  };

  it('more consumers than partitions', async () => {
    expect(await refused({ 'consumer.replicas': 7, 'consumer.partitions': 6 })).toContain(
      'consumer.replicas (7) must not exceed consumer.partitions (6)',
    );
  });

  it('api-keys auth without a Secret or keys', async () => {
    expect(await refused({ 'server.apiKeys.existingSecret': '' })).toContain('server.apiKeys');
  });

  it('an unknown setting in an app config, naming it (values.schema.json)', async () => {
    expect(await refused({ 'server.config.engine': { deadlin: '5ms' } })).toContain(
      "additional properties 'deadlin' not allowed",
    );
  });

  it('a malformed store section', async () => {
    expect(await refused({ store: { type: 'mongo' } })).toContain('/store/type');
  });
});

describe('the checker', () => {
  it('fails a manifest with an unknown field, a wrong type or a dangling reference', async () => {
    const r = await helm(helmBin, templateArgs('granary', []));
    const broken = r.stdout
      .replace('periodSeconds: 5', 'periodSecond: 5')
      .replace('port: metrics }', 'port: metricz }')
      .replace('targetPort: http', 'targetPort: web');
    const file = join(scratch, 'broken.yaml');
    writeFileSync(file, broken);
    const report = await runChecker(checker, ['manifests', file]);
    expect(report.problems.join('\n')).toContain(
      'unknown field "spec.template.spec.containers[0].readinessProbe.periodSecond"',
    );
    expect(report.problems.join('\n')).toContain('startupProbe port metricz is not a port of the container');
    expect(report.problems.join('\n')).toContain('targetPort web is not a port of Deployment granary-server');
  });
});
