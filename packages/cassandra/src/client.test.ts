import cassandra from 'cassandra-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { createDriverClient, type DriverClient } from './client.js';
import { resolveOptions } from './options.js';

const { policies } = cassandra;
// Reads the options the driver resolved (constructing a client does not connect).
const optionsOf = (c: DriverClient) =>
  (
    c.client as unknown as {
      options: { policies: Record<string, unknown>; encoding: Record<string, unknown> };
    }
  ).options;
let made: DriverClient[] = [];
afterEach(async () => {
  await Promise.all(made.filter((c) => c.owned).map((c) => c.client.shutdown()));
  made = [];
});
const make = (o: Parameters<typeof resolveOptions>[0]) => {
  const c = createDriverClient(resolveOptions(o));
  made.push(c);
  return c;
};

describe('createDriverClient', () => {
  it('hedges reads with the constant speculative execution policy when asked, and reconnects fast', () => {
    const c = make({ speculativeExecution: { delayMs: 15, maxExecutions: 2 } });
    const o = optionsOf(c);
    expect(o.policies.speculativeExecution).toBeInstanceOf(
      policies.speculativeExecution.ConstantSpeculativeExecutionPolicy,
    );
    expect(o.policies.reconnection).toBeInstanceOf(policies.reconnection.ExponentialReconnectionPolicy);
    expect(o.encoding.useBigIntAsLong).toBe(true);
    expect(c.timestamp(5n)).toBe(5n);
    expect(optionsOf(make({})).policies.speculativeExecution).toBeInstanceOf(
      policies.speculativeExecution.NoSpeculativeExecutionPolicy,
    );
  });

  it('keeps user policies over its defaults', () => {
    const retry = new policies.retry.IdempotenceAwareRetryPolicy(new policies.retry.RetryPolicy());
    const reconnection = new policies.reconnection.ConstantReconnectionPolicy(100);
    const o = optionsOf(make({ clientOptions: { policies: { retry, reconnection } } }));
    expect(o.policies.retry).toBe(retry);
    expect(o.policies.reconnection).toBe(reconnection);
  });

  it('uses a client it is given without owning it, binding timestamps as that client expects', () => {
    const client = new cassandra.Client({ contactPoints: ['127.0.0.1:1'], localDataCenter: 'dc' });
    const c = make({ client });
    expect(c.owned).toBe(false);
    expect(c.client).toBe(client);
    expect(String(c.timestamp(1767225600000123n))).toBe('1767225600000123');
    expect(c.timestamp(1n)).toBeInstanceOf(cassandra.types.Long);
  });
});
