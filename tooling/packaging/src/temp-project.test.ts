import { describe, expect, it } from 'vitest';
import type { InstallLine } from './readme-directives.ts';
import { plainEnv, projectManifest, splitSpec } from './temp-project.ts';

const line = (packages: string[], dev = false, readme = 'x README', n = 3): InstallLine => ({
  readme,
  line: n,
  dev,
  packages,
  withPnpm: true,
});

describe('projectManifest', () => {
  const tarballs = new Map([
    ['@granary/core', '/t/granary-core-0.1.0.tgz'],
    ['@granary/kafka', '/t/granary-kafka-0.1.0.tgz'],
  ]);

  it('installs Granary packages from their tarballs and the rest as the README wrote them', () => {
    const { manifest, problems } = projectManifest(
      [line(['@granary/kafka', '@granary/core', 'kafkajs']), line(['@types/node', 'vitest@^5'], true)],
      tarballs,
    );
    expect(problems).toEqual([]);
    expect(manifest.dependencies).toEqual({
      '@granary/core': 'file:/t/granary-core-0.1.0.tgz',
      '@granary/kafka': 'file:/t/granary-kafka-0.1.0.tgz',
      kafkajs: 'latest',
    });
    expect(manifest.devDependencies).toEqual({ '@types/node': 'latest', vitest: '^5' });
  });

  it('keeps a package a runtime dependency when one README installs it with -D and another without', () => {
    const { manifest } = projectManifest([line(['@granary/core'], true), line(['@granary/core'])], tarballs);
    expect(manifest.dependencies).toEqual({ '@granary/core': 'file:/t/granary-core-0.1.0.tgz' });
    expect(manifest.devDependencies).toEqual({});
  });

  it('reports a Granary package that is not packed', () => {
    const { problems } = projectManifest([line(['@granary/config'], false, 'server README', 9)], tarballs);
    expect(problems).toEqual(['server README:9: installs @granary/config, which is not a public package']);
  });

  it('splits name and range', () => {
    expect(splitSpec('@scope/name@^1.2.0')).toEqual({ name: '@scope/name', range: '^1.2.0' });
    expect(splitSpec('@scope/name')).toEqual({ name: '@scope/name', range: undefined });
    expect(splitSpec('kafkajs@2')).toEqual({ name: 'kafkajs', range: '2' });
  });

  it('drops what pnpm passes to scripts from the environment npm sees', () => {
    expect(plainEnv({ PATH: '/bin', npm_config_registry: 'x', PNPM_HOME: 'y', GRANARY_X: '1' })).toEqual({
      PATH: '/bin',
      GRANARY_X: '1',
    });
  });
});
