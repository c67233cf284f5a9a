import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromObject } from '../src/config/load-config.js';
import type { GranaryServer } from '../src/granary-server.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';
import { post, testServer } from './helpers/test-server.js';

removeTempDirsAfterAll();

const READ_KEY = 'read-key-0123456789abcdef';
const ADMIN_KEY = 'admin-key-0123456789abcdef';

describe('status page in auth mode none', () => {
  let server: GranaryServer;
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('status');
    ({ server } = await testServer({ log: { level: 'silent' } }));
  });
  afterAll(() => server.close());

  it('serves the HTML page and its script at / and /status-page.js', async () => {
    const html = await server.app.inject({ url: '/' });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<script src="/status-page.js"></script>');
    expect(html.body).toContain('id="views"');
    const js = await server.app.inject({ url: '/status-page.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain("fetch('/v1/status'");
    // The script is valid JavaScript as served.
    expect(() => new Function(js.body)).not.toThrow();
  });

  it('GET /v1/status aggregates freshness, fallbacks, circuits, hot keys; "no audit yet" without a report', async () => {
    for (let i = 0; i < 30; i++) {
      await post(server, '/v1/features', { features: ['user_stats:clicks'], entities: [{ user_id: 7 }] });
    }
    const res = await server.app.inject({ url: '/v1/status' });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.verdict).toBe('OK');
    expect(s.views.map((v: { view: string }) => v.view)).toEqual(['user_stats', 'engagement']);
    expect(s.views[0]).toMatchObject({
      verdict: 'OK',
      reasons: [],
      maxAgeMs: 3_600_000,
      slo: { thresholdMs: expect.any(Number) },
      heartbeat: { ageMs: null },
    });
    // Never written: NOT_FOUND, served the declared default by the fallback chain.
    expect(s.serving).toMatchObject({ values: 30, fallbacks: 30, fallbackShare: 1 });
    expect(s.serving.fallbacksBy[0]).toMatchObject({ view: 'user_stats', source: 'default', count: 30 });
    expect(s.serving.fallbacksBy[0].reason).toBe('not_found');
    expect(s.circuits).toEqual({ primary: 'closed' });
    expect(s.hotKeys[0]).toMatchObject({ view: 'user_stats', key: { user_id: '7' } });
    expect(s.audit).toEqual({ configured: false });
  });

  it('shows the last audit report, or why it cannot be read', async () => {
    const path = join(dir, 'audit.json');
    const missing = await testServer({ status: { auditReportPath: path }, log: { level: 'silent' } });
    try {
      const none = (await missing.server.app.inject({ url: '/v1/status' })).json();
      expect(none.audit).toEqual({ configured: true, path, available: false, error: 'ENOENT' });
      await writeFile(
        path,
        JSON.stringify({
          schemaVersion: 1,
          finishedAt: '2026-11-26T09:00:00.000Z',
          auditTime: '2026-11-26T08:59:00.000Z',
          sampleSize: 500,
          views: [{ view: 'user_stats' }],
          breaches: [{ check: 'mismatchRate', subject: 'user_stats:ctr', value: 0.2, threshold: 0.01 }],
          ok: false,
        }),
      );
      const audit = (await missing.server.app.inject({ url: '/v1/status' })).json().audit;
      expect(audit).toMatchObject({
        available: true,
        ok: false,
        finishedAt: '2026-11-26T09:00:00.000Z',
        sampleSize: 500,
        views: 1,
        breachCount: 1,
        breaches: [{ check: 'mismatchRate', subject: 'user_stats:ctr', value: 0.2, threshold: 0.01 }],
      });
      await writeFile(path, 'not json');
      const bad = (await missing.server.app.inject({ url: '/v1/status' })).json().audit;
      expect(bad).toMatchObject({ available: false });
      expect(bad.error).toContain('not a JSON audit report');
    } finally {
      await missing.server.close();
    }
  });
});

describe('status.auditReportPath', () => {
  it('is optional and takes the environment override GRANARY_STATUS__AUDIT_REPORT_PATH', () => {
    const base = { registry: { demo: true }, auth: { mode: 'none' } };
    expect(configFromObject(base, {}).status).toEqual({});
    expect(
      configFromObject(base, { GRANARY_STATUS__AUDIT_REPORT_PATH: '/reports/audit.json' }).status,
    ).toEqual({ auditReportPath: '/reports/audit.json' });
  });
});

describe('status page with API keys', () => {
  let server: GranaryServer;
  beforeAll(async () => {
    ({ server } = await testServer(
      {
        auth: {
          mode: 'api-keys',
          keys: [
            { name: 'ranker', scopes: ['read'], secretEnv: 'RANKER_KEY' },
            { name: 'ops', scopes: ['admin'], secretEnv: 'OPS_KEY' },
          ],
        },
        log: { level: 'silent' },
      },
      { env: { RANKER_KEY: READ_KEY, OPS_KEY: ADMIN_KEY } },
    ));
  });
  afterAll(() => server.close());

  it('the page and its script are public (they hold no data)', async () => {
    expect((await server.app.inject({ url: '/' })).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/status-page.js' })).statusCode).toBe(200);
  });

  it('GET /v1/status needs the admin scope: 401 without a key, 403 with a read key, 200 with admin', async () => {
    const anon = await server.app.inject({ url: '/v1/status' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('UNAUTHENTICATED');
    const read = await server.app.inject({
      url: '/v1/status',
      headers: { authorization: `Bearer ${READ_KEY}` },
    });
    expect(read.statusCode).toBe(403);
    expect(read.json().error.message).toContain('admin');
    const admin = await server.app.inject({
      url: '/v1/status',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(admin.statusCode).toBe(200);
    expect(admin.json().verdict).toBe('OK');
  });
});
