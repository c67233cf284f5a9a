import { createMemoryOnlineStore } from '@granary/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ConformanceCase,
  conformanceCases,
  createInProcessBackend,
  describeOnlineStoreConformance,
  formatConformanceReport,
  runConformanceCase,
  summarizeGroups,
} from '../src/index.js';

const findCase = (fragment: string): ConformanceCase => {
  const c = conformanceCases.find((x) => x.name.includes(fragment));
  if (!c) throw new Error(`no conformance case matches ${fragment}`);
  return c;
};
const memory = () => createMemoryOnlineStore();

describe('a capability the adapter lacks', () => {
  it('fails its case when it is not declared in `without`', async () => {
    await expect(
      runConformanceCase({ name: 'no hooks', create: memory }, findCase('unreachable backend fails')),
    ).rejects.toThrow(/needs faults\.unavailable, which the adapter does not provide.*without: \{ faults/);
    await expect(
      runConformanceCase({ name: 'no hooks', create: memory }, findCase('shared binary codec')),
    ).rejects.toThrow(/needs backdoor\.rawValue/);
  });

  it('fails a case needing a hook the declared faults leave out', async () => {
    const options = {
      name: 'partial',
      create: memory,
      faults: () => ({ unavailable: async () => async () => {} }),
    };
    await expect(runConformanceCase(options, findCase('connections reset'))).rejects.toThrow(
      /needs faults\.reset/,
    );
  });

  it('skips its case with the declared reason (runConformanceCase reports the skip as a failure)', async () => {
    const options = { name: 'declared', create: memory, without: { faults: 'no proxy in front of it' } };
    await expect(runConformanceCase(options, findCase('unreachable backend fails'))).rejects.toThrow(
      /did not run: without\.faults: no proxy in front of it/,
    );
  });
});

// The whole suite once more, declaring every capability missing: the returned report lists each skipped case
// with its declaration (the inner suite's afterAll runs before this one).
describe('the report of a run with every capability declared missing', () => {
  const backend = createInProcessBackend(({ clock }) => createMemoryOnlineStore({ clock }));
  const report = describeOnlineStoreConformance({
    name: 'memory, everything declared missing',
    create: backend.create,
    without: { faults: 'no faults here', backdoor: 'no backdoor here', clock: 'no clock here' },
  });
  afterAll(() => {
    const byCapability = (cap: string) =>
      report.notRun.filter((c) => c.capability === cap).map((c) => c.name);
    expect(byCapability('faults')).toHaveLength(
      conformanceCases.filter((c) => c.needs?.some((n) => n.capability === 'faults')).length,
    );
    expect(byCapability('backdoor')).toHaveLength(2);
    expect(byCapability('clock')).toEqual([findCase('expiry at the boundary').name]);
    expect(report.notRun.find((c) => c.capability === 'clock')?.reason).toBe('without.clock: no clock here');
    expect(report.ran.length + report.notRun.length).toBe(conformanceCases.length);
    const groups = summarizeGroups(report);
    expect(groups.find((g) => g.group === 'backdoor')).toMatchObject({ run: 'none', ran: 0, notRun: 2 });
    expect(groups.find((g) => g.group === 'failures')?.run).toBe('some'); // the closed-store case needs nothing
    expect(groups.find((g) => g.group === 'round trip')?.run).toBe('all');
    expect(formatConformanceReport(report)).toContain('  group backdoor: not run');
  });
});
