import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type ConfigError, isGranaryError, ValidationError } from '../errors.js';
import { defineEntity } from './entity.js';
import { defineFeatureService } from './feature-service.js';
import { defineFeatureView } from './feature-view.js';
import { parseRegistry } from './load-registry.js';
import { createRegistry } from './registry.js';

const user = defineEntity({ name: 'user', joinKeys: ['user_id'] });
const stats = defineFeatureView({
  name: 'user_stats',
  entity: user,
  maxAge: '1h',
  features: [
    { name: 'clicks', type: 'int64' },
    { name: 'ctr', type: 'float64' },
  ],
});

function validation(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('defineFeatureService', () => {
  it('keeps the references in order, frozen', () => {
    const s = defineFeatureService({ name: 'ranking', features: ['user_stats:ctr', 'user_stats:clicks'] });
    expect(s).toEqual({ name: 'ranking', features: ['user_stats:ctr', 'user_stats:clicks'] });
    expect(Object.isFrozen(s.features)).toBe(true);
  });

  it('refuses a bad name, no features, a malformed or duplicate reference, naming the field', () => {
    expect(validation(() => defineFeatureService({ name: '1x', features: ['a:b'] })).path).toBe('name');
    expect(validation(() => defineFeatureService({ name: 'x', features: [] })).path).toBe('features');
    expect(validation(() => defineFeatureService({ name: 'x', features: ['a:b', 'ab'] })).path).toBe(
      'features[1]',
    );
    expect(validation(() => defineFeatureService({ name: 'x', features: ['a:b', 'a:b'] })).path).toBe(
      'features[1]',
    );
  });
});

describe('feature services in the registry', () => {
  it('are found by name; an unknown name is UNKNOWN_FEATURE_SERVICE naming the path', () => {
    const ranking = defineFeatureService({ name: 'ranking', features: ['user_stats:ctr'] });
    const registry = createRegistry({ views: [stats], featureServices: [ranking] });
    expect(registry.getFeatureService('ranking')).toBe(ranking);
    expect([...registry.featureServices.keys()]).toEqual(['ranking']);
    const e = validation(() => registry.getFeatureService('nope', 'feature_service'));
    expect(e.code).toBe('UNKNOWN_FEATURE_SERVICE');
    expect(e.path).toBe('feature_service');
    expect(createRegistry({ views: [stats] }).featureServices.size).toBe(0);
  });

  it('must reference existing features and have unique names', () => {
    const bad = defineFeatureService({ name: 'ranking', features: ['user_stats:ctr', 'user_stats:nope'] });
    const e = validation(() => createRegistry({ views: [stats], featureServices: [bad] }));
    expect(e.code).toBe('UNKNOWN_FEATURE');
    expect(e.path).toBe('featureServices[0].features[1]');
    const ok = defineFeatureService({ name: 'ranking', features: ['user_stats:ctr'] });
    expect(validation(() => createRegistry({ views: [stats], featureServices: [ok, ok] })).path).toBe(
      'featureServices[1].name',
    );
  });

  it('load from a registry file, with errors naming file, path and line', () => {
    const doc = {
      entities: [{ name: 'user', joinKeys: ['user_id'] }],
      views: [
        { name: 'user_stats', entity: 'user', maxAge: '1h', features: [{ name: 'ctr', type: 'float64' }] },
      ],
      featureServices: [{ name: 'ranking', features: ['user_stats:ctr'], description: 'The ranker.' }],
    };
    const registry = parseRegistry(stringify(doc), { file: 'registry.yaml' });
    expect(registry.getFeatureService('ranking')).toEqual(doc.featureServices[0]);
    const fail = (d: unknown): ConfigError => {
      try {
        parseRegistry(stringify(d), { file: 'registry.yaml' });
      } catch (error) {
        expect(isGranaryError(error, 'CONFIG_INVALID')).toBe(true);
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    const unknown = fail({ ...doc, featureServices: [{ name: 'ranking', features: ['user_stats:nope'] }] });
    expect(unknown.path).toBe('featureServices[0].features[0]');
    expect(unknown.message).toMatch(
      /^registry\.yaml: featureServices\[0\]\.features\[0\]: unknown feature .*\(line \d+\)$/,
    );
    const typo = fail({ ...doc, featureServices: [{ name: 'ranking', feature: ['user_stats:ctr'] }] });
    expect(typo.message).toContain('unknown key "feature" in a feature service (did you mean "features"?)');
  });
});
