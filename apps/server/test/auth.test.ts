import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKeyVerifier, loadApiKeys } from '../src/auth/api-keys.js';
import type { GranaryServer } from '../src/granary-server.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';
import { post, testServer } from './helpers/test-server.js';

removeTempDirsAfterAll();

const READ_KEY = 'read-key-0123456789abcdef';
const WRITE_KEY = 'write-key-0123456789abcdef';
const ADMIN_KEY = 'admin-key-0123456789abcdef';

let server: GranaryServer;
let logs: () => string[];
const body = { features: ['user_stats:clicks'], entities: [{ user_id: 1 }] };

beforeAll(async () => {
  const dir = await tempDir('auth');
  const adminFile = join(dir, 'admin-key');
  await writeFile(adminFile, `${ADMIN_KEY}\n`);
  ({ server, logs } = await testServer(
    {
      auth: {
        mode: 'api-keys',
        keys: [
          { name: 'ranker', scopes: ['read'], secretEnv: 'RANKER_KEY' },
          { name: 'pipeline', scopes: ['write'], secretEnv: 'PIPELINE_KEY' },
          { name: 'ops', scopes: ['admin'], secretFile: adminFile },
        ],
      },
      log: { level: 'debug' },
    },
    { env: { RANKER_KEY: READ_KEY, PIPELINE_KEY: WRITE_KEY } },
  ));
});
afterAll(() => server.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys and scopes', () => {
  it('401 without a key, with a hint and WWW-Authenticate', async () => {
    const res = await post(server, '/v1/features', body);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', path: 'headers.authorization' });
  });

  it('401 with a wrong key', async () => {
    const res = await post(server, '/v1/features', body, bearer('not-a-valid-key-at-all'));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('the API key is not valid');
  });

  it('200 with a read key (Bearer or x-api-key)', async () => {
    expect((await post(server, '/v1/features', body, bearer(READ_KEY))).status).toBe(200);
    expect((await post(server, '/v1/features', body, { 'x-api-key': READ_KEY })).status).toBe(200);
    expect(
      (
        await post(
          server,
          '/get-online-features',
          { features: ['user_stats:clicks'], entities: { user_id: [1] } },
          bearer(READ_KEY),
        )
      ).status,
    ).toBe(200);
  });

  it('403 when the key lacks the scope; admin has every scope', async () => {
    const row = {
      rows: [{ view: 'user_stats', key: { user_id: 1 }, values: { clicks: 1 }, eventTime: Date.now() }],
    };
    const denied = await post(server, '/v1/push', row, bearer(READ_KEY));
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(denied.body.error.message).toContain('ranker');
    expect((await post(server, '/v1/features', body, bearer(WRITE_KEY))).status).toBe(403);
    expect((await post(server, '/v1/push', row, bearer(WRITE_KEY))).status).toBe(200);
    expect((await post(server, '/v1/push', row, bearer(ADMIN_KEY))).status).toBe(200);
    expect((await post(server, '/v1/features', body, bearer(ADMIN_KEY))).status).toBe(200);
  });

  it('checks auth before reading the body', async () => {
    const res = await post(server, '/v1/features', '{not json', {});
    expect(res.status).toBe(401);
  });

  it('leaves health, readiness and metrics public', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/openapi.json']) {
      expect((await server.app.inject({ url })).statusCode).toBe(200);
    }
    expect((await server.app.inject({ url: '/v1/freshness' })).statusCode).toBe(401);
  });

  it('never writes keys to the logs (authorization and x-api-key are redacted)', async () => {
    await post(server, '/v1/features', body, bearer(READ_KEY));
    await post(server, '/v1/features', body, { 'x-api-key': WRITE_KEY });
    await post(server, '/v1/features', body, bearer('some-wrong-secret-value'));
    const text = logs().join('\n');
    expect(text).toContain('[redacted]');
    expect(text).toContain('"requestId"');
    for (const secret of [READ_KEY, WRITE_KEY, ADMIN_KEY, 'some-wrong-secret-value'])
      expect(text).not.toContain(secret);
  });
});

describe('createApiKeyVerifier', () => {
  it('compares every configured key in constant time, without stopping at a match', async () => {
    const keys = await loadApiKeys(
      {
        mode: 'api-keys',
        keys: [
          { name: 'a', scopes: ['read'], secretEnv: 'A' },
          { name: 'b', scopes: ['write'], secretEnv: 'B' },
          { name: 'c', scopes: ['admin'], secretEnv: 'C' },
        ],
      },
      { A: 'a'.repeat(32), B: 'b'.repeat(32), C: 'c'.repeat(32) },
    );
    const { timingSafeEqual } = await import('node:crypto');
    const compare = vi.fn((x: Buffer, y: Buffer) => timingSafeEqual(x, y));
    const verifier = createApiKeyVerifier(keys, compare);
    expect(verifier.verify('a'.repeat(32))?.name).toBe('a');
    expect(compare).toHaveBeenCalledTimes(3);
    for (const [x, y] of compare.mock.calls) expect(x.length).toBe(y.length); // fixed-length hashes
    compare.mockClear();
    expect(verifier.verify('short')).toBeUndefined();
    expect(compare).toHaveBeenCalledTimes(3);
  });

  it('uses crypto.timingSafeEqual by default', async () => {
    const crypto = await import('node:crypto');
    expect(createApiKeyVerifier.toString()).toContain('timingSafeEqual');
    const keys = await loadApiKeys(
      { mode: 'api-keys', keys: [{ name: 'a', scopes: ['read'], secretEnv: 'A' }] },
      { A: 'x'.repeat(20) },
    );
    expect(createApiKeyVerifier(keys).verify('x'.repeat(20))?.name).toBe('a');
    expect(typeof crypto.timingSafeEqual).toBe('function');
  });

  it('refuses missing, short and duplicate secrets with the variable or file named, never the secret', async () => {
    const auth = (secretEnv: string) => ({
      mode: 'api-keys' as const,
      keys: [{ name: 'a', scopes: ['read' as const], secretEnv }],
    });
    await expect(loadApiKeys(auth('NOPE'), {})).rejects.toThrow(
      'auth.keys[0].secretEnv: environment variable NOPE is empty or not set',
    );
    await expect(loadApiKeys(auth('S'), { S: 'tiny' })).rejects.toThrow(/shorter than 16/);
    const err = await loadApiKeys(auth('S'), { S: 'tiny' }).catch((e: Error) => e.message);
    expect(err).not.toContain('tiny');
  });

  it('reads a keys file of { name, scopes, key }', async () => {
    const dir = await tempDir('auth');
    const file = join(dir, 'keys.yaml');
    await writeFile(file, `- { name: svc, scopes: [read, write], key: ${'k'.repeat(24)} }\n`);
    const keys = await loadApiKeys({ mode: 'api-keys', keys: [], keysFile: file }, {});
    expect(keys.map((k) => [k.name, [...k.scopes]])).toEqual([['svc', ['read', 'write']]]);
    await writeFile(file, `- { name: svc, scopes: [root], key: ${'k'.repeat(24)} }\n`);
    await expect(loadApiKeys({ mode: 'api-keys', keys: [], keysFile: file }, {})).rejects.toThrow(
      `${file}: [0].scopes`,
    );
  });
});
