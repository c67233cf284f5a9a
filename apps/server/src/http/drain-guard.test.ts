import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { createDrainGuard } from './drain-guard.js';

const request = (url: string) => ({ routeOptions: { url } }) as unknown as FastifyRequest;
const reply = {} as FastifyReply;

describe('createDrainGuard', () => {
  it('lets every request through until shutdown starts', async () => {
    const guard = createDrainGuard({ shuttingDown: false });
    await expect(guard(request('/v1/features'), reply)).resolves.toBeUndefined();
  });

  it('then answers 503 SHUTTING_DOWN (retryable), except the probes', async () => {
    const lifecycle = { shuttingDown: true };
    const guard = createDrainGuard(lifecycle);
    const error = await guard(request('/v1/features'), reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 503, code: 'SHUTTING_DOWN', retryable: true });
    await expect(guard(request('/readyz'), reply)).resolves.toBeUndefined();
    await expect(guard(request('/healthz'), reply)).resolves.toBeUndefined();
  });
});
