import cassandra, { type Client, type types } from 'cassandra-driver';
import type { ResolvedOptions } from './options.js';

/** The driver client a store talks through. */
export interface DriverClient {
  readonly client: Client;
  /** Whether the store created the client (and so shuts it down on close). */
  readonly owned: boolean;
  /** Turns a write timestamp into the parameter type the client's encoder expects for `bigint`. */
  readonly timestamp: (micros: bigint) => bigint | types.Long;
}

const { policies } = cassandra;

function usesBigIntForLong(client: Client): boolean {
  const options = (client as unknown as { options?: { encoding?: { useBigIntAsLong?: boolean } } }).options;
  return options?.encoding?.useBigIntAsLong === true;
}

/**
 * Uses `options.client`, or creates a client: token-aware, DC-aware load balancing (the driver's default),
 * exponential reconnection from 500 ms to 5 s (the driver's default waits up to 10 minutes between attempts),
 * the constant speculative-execution policy when asked, and BigInt for `bigint` values.
 */
export function createDriverClient(options: ResolvedOptions): DriverClient {
  if (options.client) {
    const bigints = usesBigIntForLong(options.client);
    return {
      client: options.client,
      owned: false,
      timestamp: bigints ? (t) => t : (t) => cassandra.types.Long.fromString(t.toString()),
    };
  }
  const user = options.clientOptions;
  const speculative = options.speculativeExecution;
  const client = new cassandra.Client({
    ...user,
    contactPoints: [...options.contactPoints],
    localDataCenter: options.localDataCenter,
    policies: {
      reconnection: new policies.reconnection.ExponentialReconnectionPolicy(500, 5000, false),
      ...(speculative && {
        speculativeExecution: new policies.speculativeExecution.ConstantSpeculativeExecutionPolicy(
          speculative.delayMs,
          speculative.maxExecutions,
        ),
      }),
      ...user.policies,
    },
    encoding: { ...user.encoding, useBigIntAsLong: true },
  });
  return { client, owned: true, timestamp: (t) => t };
}
