import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helm, parseManifests, templateArgs } from '../src/chart.ts';
import { buildChecker, ensureHelm, runChecker } from '../src/go-build.ts';
import { ROOT } from '../src/paths.ts';
import { podSpecOf } from '../src/pod-files.ts';

// No Docker engine here: the Dockerfiles are checked for what must hold (and the bundle they copy is built and
// booted by bundle-boot.test.ts); the compose file goes through compose-spec's own loader and schema.
let checker = '';
let scratch = '';
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'granary-deploy-images-'));
  checker = await buildChecker(scratch);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const APPS = ['server', 'consumer', 'auditor'] as const;
const dockerfile = (app: string) => readFileSync(join(ROOT, 'deploy/docker', `${app}.Dockerfile`), 'utf8');
const packageManager = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string }
).packageManager;

describe.each(APPS)('deploy/docker/%s.Dockerfile', (app) => {
  const text = dockerfile(app);

  it('builds on Node 24 slim with the repository pnpm and makes the bundle with deploy/bundle.sh', () => {
    expect(text).toContain('ARG NODE_IMAGE=node:24-slim');
    expect(readFileSync(join(ROOT, '.node-version'), 'utf8').trim()).toMatch(/^24\./);
    expect(text).toContain(`RUN npm install -g ${packageManager}`);
    expect(text).toContain('RUN pnpm install --offline --frozen-lockfile');
    expect(text).toContain(`RUN deploy/bundle.sh ${app} /bundle`);
    expect(text).toContain('COPY --from=build /bundle /app');
  });

  it('runs as a non-root user with a HEALTHCHECK, stopping on SIGTERM', () => {
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toMatch(/^HEALTHCHECK /m);
    expect(text).toMatch(/^STOPSIGNAL SIGTERM$/m);
  });

  it('starts what the chart starts', async () => {
    const entry = /^ENTRYPOINT (.*)$/m.exec(text)?.[1];
    const r = await helm(await ensureHelm(), templateArgs('granary', []));
    const container = podSpecOf(parseManifests(r.stdout), `-${app}`).containers[0];
    expect(JSON.parse(entry ?? 'null')).toEqual(container?.command);
    expect(container?.workingDir).toBe('/app');
    expect(text).toMatch(/^WORKDIR \/app$/m);
  });
});

describe('deploy/compose/compose.yaml', () => {
  it("loads with compose-spec's loader: every service, file and build context resolves", async () => {
    const report = await runChecker(checker, ['compose', join(ROOT, 'deploy/compose/compose.yaml')]);
    expect(report.problems).toEqual([]);
    expect(report.documents.map((d) => d.name).sort()).toEqual(
      ['auditor', 'consumer', 'grafana', 'kafka', 'prometheus', 'redis', 'server'].sort(),
    );
  });

  it('fails a compose file with an unknown key', async () => {
    const file = join(scratch, 'compose.yaml');
    const text = readFileSync(join(ROOT, 'deploy/compose/compose.yaml'), 'utf8').replace(
      'read_only: true',
      'readonly: true',
    );
    writeFileSync(file, text);
    const report = await runChecker(checker, ['compose', file]);
    expect(report.problems.join('\n')).toMatch(/readonly/);
  });
});
