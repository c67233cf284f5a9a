import { defineEntity, defineFeatureView } from '@granary/core';

/** Views of the adapter-specific integration tests. */
export const user = defineEntity({ name: 'it_user', joinKeys: ['user_id'] });

export const profile = defineFeatureView({
  name: 'it_profile',
  entity: user,
  features: [
    { name: 'raw', type: 'bytes' },
    { name: 'name', type: 'string' },
    { name: 'score', type: 'float64' },
    { name: 'count', type: 'int64' },
  ],
  maxAge: '1m',
  retention: '1h',
});

/** A second view of the same entity (same slot in a cluster). */
export const activity = defineFeatureView({
  name: 'it_activity',
  entity: user,
  features: [{ name: 'score', type: 'float64' }],
  maxAge: '1m',
  retention: '2h',
});

export const testViews = [profile, activity];
