import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { abortable, throwIfAborted } from '@granary/core';
import { toGranaryError } from './errors.js';

/** One SDK call: `(client, options) => client.send(new XCommand(...), options)`. */
export type Call<O> = (client: DynamoDBClient, options: { abortSignal?: AbortSignal }) => Promise<O>;

/** Runs one SDK call with the caller's signal, mapping every failure to a Granary error. */
export type Send = <O>(call: Call<O>, what: string, signal: AbortSignal | undefined) => Promise<O>;

/**
 * A {@link Send} over `client`: the signal goes to the SDK (`abortSignal`, which destroys the request) and
 * the promise is also raced against it, so an abort rejects at once with an AbortedError.
 */
export function createSend(client: DynamoDBClient, store: string): Send {
  return async (call, what, signal) => {
    throwIfAborted(signal);
    try {
      return await abortable(call(client, signal ? { abortSignal: signal } : {}), signal);
    } catch (error) {
      throw toGranaryError(error, store, what, signal);
    }
  };
}
