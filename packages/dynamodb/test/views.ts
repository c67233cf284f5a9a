import { defineEntity, defineFeatureView, type FeatureView, type ValueType } from '@granary/core';

/** A test view keyed by one string join key `id`: feature name -> type, maxAge 1m, retention 1h. */
export function testView(name: string, features: Readonly<Record<string, ValueType>>): FeatureView {
  return defineFeatureView({
    name,
    entity: defineEntity({ name: `${name}_entity`, joinKeys: ['id'] }),
    features: Object.entries(features).map(([feature, type]) => ({ name: feature, type })),
    maxAge: '1m',
    retention: '1h',
  });
}
