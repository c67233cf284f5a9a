import { describe, expect, it } from 'vitest';
import { checkPrerequisites } from './drill-prerequisites.ts';
import { SetupError } from './setup-error.ts';

const all = () => true;

describe('checkPrerequisites', () => {
  it("uses Debian's prometheus and the built apps under the root", () => {
    expect(checkPrerequisites({ root: '/repo', env: {}, exists: all })).toEqual({
      prometheusBin: '/usr/bin/prometheus',
      serverMain: '/repo/apps/server/dist/main.js',
      consumerMain: '/repo/apps/consumer/dist/main.js',
    });
  });

  it('takes GRANARY_PROMETHEUS when set', () => {
    const env = { GRANARY_PROMETHEUS: '/opt/prom' };
    expect(checkPrerequisites({ root: '/repo', env, exists: all }).prometheusBin).toBe('/opt/prom');
  });

  it('says how to install a missing prometheus', () => {
    const check = () =>
      checkPrerequisites({ root: '/repo', env: {}, exists: (f) => f !== '/usr/bin/prometheus' });
    expect(check).toThrow(SetupError);
    expect(check).toThrow('apt-get install -y --no-install-recommends prometheus');
  });

  it('says how to build a missing dist, including @granary/kafka', () => {
    const check = () =>
      checkPrerequisites({
        root: '/repo',
        env: {},
        exists: (f) => f !== '/repo/packages/kafka/dist/index.js',
      });
    expect(check).toThrow(
      '/repo/packages/kafka/dist/index.js missing: pnpm --filter @granary/server... --filter @granary/consumer... build',
    );
  });
});
