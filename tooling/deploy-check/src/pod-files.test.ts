import { describe, expect, it } from 'vitest';
import { pathMapper } from './pod-files.ts';

describe('pathMapper', () => {
  const map = pathMapper('/scratch/x', ['/tmp', '/etc/granary/config', '/etc/granary/registry']);

  it('maps paths under mount paths once, in values and in YAML', () => {
    expect(map('/etc/granary/config/config.yaml')).toBe('/scratch/x/etc/granary/config/config.yaml');
    expect(map('path: /etc/granary/registry/registry.yaml\nroot: "/tmp/a"')).toBe(
      'path: /scratch/x/etc/granary/registry/registry.yaml\nroot: "/scratch/x/tmp/a"',
    );
    expect(map('/tmp')).toBe('/scratch/x/tmp');
  });

  it('leaves other paths and look-alikes alone', () => {
    expect(map('/tmpfoo /var/tmp/x redis://host/tmp')).toBe('/tmpfoo /var/tmp/x redis://host/tmp');
  });
});
