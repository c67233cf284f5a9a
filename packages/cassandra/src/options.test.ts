import { isGranaryError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';

const pathOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isGranaryError(e, 'VALIDATION_FAILED') ? e.details.path : e;
  }
  return undefined;
};

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({
      contactPoints: ['127.0.0.1:9042'],
      localDataCenter: 'datacenter1',
      keyspace: 'granary',
      table: 'online_features',
      createSchema: false,
      replication: { class: 'SimpleStrategy', replication_factor: 1 },
      readConsistency: 'LOCAL_QUORUM',
      consistentReadConsistency: 'LOCAL_QUORUM',
      writeConsistency: 'LOCAL_QUORUM',
      readConcurrency: 64,
      writeConcurrency: 32,
      readTimeoutMs: 2000,
      writeTimeoutMs: 10_000,
      speculativeExecution: undefined,
      maxValueBytes: 1024 * 1024,
      maxBatchBytes: 256 * 1024,
      name: 'cassandra',
    });
    expect(resolveOptions({ speculativeExecution: { delayMs: 20 } }).speculativeExecution).toEqual({
      delayMs: 20,
      maxExecutions: 1,
    });
  });

  it('rejects invalid options, naming the field', () => {
    expect(pathOf(() => resolveOptions({ table: 'Bad-Name' }))).toBe('table');
    expect(pathOf(() => resolveOptions({ keyspace: '1x' }))).toBe('keyspace');
    expect(pathOf(() => resolveOptions({ readConsistency: 'LOCAL' as never }))).toBe('readConsistency');
    expect(pathOf(() => resolveOptions({ readConcurrency: 0 }))).toBe('readConcurrency');
    expect(pathOf(() => resolveOptions({ writeTimeoutMs: 1.5 }))).toBe('writeTimeoutMs');
    expect(pathOf(() => resolveOptions({ contactPoints: [] }))).toBe('contactPoints');
    expect(pathOf(() => resolveOptions({ speculativeExecution: { delayMs: -1 } }))).toBe(
      'speculativeExecution.delayMs',
    );
  });
});
