import {
  defineEntity,
  defineFeatureView,
  type FeatureValue,
  type FeatureView,
  type ValueType,
} from '@granary/core';

/** The entities and views the suite writes to. Pass them to nothing: the suite calls `init` itself. */
export const userEntity = defineEntity({ name: 'conf_user', joinKeys: ['user_id'] });
export const pairEntity = defineEntity({
  name: 'conf_pair',
  joinKeys: [
    { name: 'a', type: 'int64' },
    { name: 'b', type: 'string' },
  ],
});
export const blobEntity = defineEntity({ name: 'conf_blob', joinKeys: [{ name: 'id', type: 'bytes' }] });

const allTypes: { name: string; type: ValueType }[] = [
  { name: 'i64', type: 'int64' },
  { name: 'f64', type: 'float64' },
  { name: 'f32', type: 'float32' },
  { name: 'flag', type: 'bool' },
  { name: 'str', type: 'string' },
  { name: 'raw', type: 'bytes' },
  { name: 'e32', type: 'float32[]' },
  { name: 'e64', type: 'float64[]' },
  { name: 'tags', type: 'string[]' },
];

export const allTypesView = defineFeatureView({
  name: 'conf_all_types',
  entity: userEntity,
  features: allTypes,
  maxAge: '1m',
  retention: '1h',
});

/** Same entity and feature names as {@link allTypesView}: for isolation between views. */
export const twinView = defineFeatureView({
  name: 'conf_twin',
  entity: userEntity,
  features: allTypes,
  maxAge: '1m',
  retention: '1h',
});

export const pairView = defineFeatureView({
  name: 'conf_pair_view',
  entity: pairEntity,
  features: [
    { name: 'score', type: 'float64' },
    { name: 'count', type: 'int64' },
  ],
  maxAge: '1m',
  retention: '1h',
});

export const blobView = defineFeatureView({
  name: 'conf_blob_view',
  entity: blobEntity,
  features: [{ name: 'label', type: 'string' }],
  maxAge: '1m',
  retention: '1h',
});

/** A view whose retention is short enough to watch values expire. */
export const shortView = defineFeatureView({
  name: 'conf_short',
  entity: userEntity,
  features: [{ name: 'v', type: 'float64' }],
  maxAge: '1s',
  retention: '2s',
});

/** A view the suite never passes to `init`: reading it must fail with UNKNOWN_VIEW. */
export const undeclaredView = defineFeatureView({
  name: 'conf_no_such_view',
  entity: userEntity,
  features: [{ name: 'f64', type: 'float64' }],
  maxAge: '1m',
});

export const conformanceViews: readonly FeatureView[] = [
  allTypesView,
  twinView,
  pairView,
  blobView,
  shortView,
];

/** Edge values of every type, each of which must survive a write and a read unchanged. */
export const edgeValues: Readonly<Record<string, readonly FeatureValue[]>> = {
  i64: [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, null],
  f64: [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-308, Math.PI, -123.5],
  f32: [
    0,
    -0,
    Number.NaN,
    Number.NEGATIVE_INFINITY,
    Math.fround(0.1),
    Math.fround(3.4028234663852886e38),
    2 ** -149,
  ],
  flag: [true, false],
  str: ['', 'plain', 'ünïcødé 日本語 🚀', 'nul\u0000inside', 'x'.repeat(2000)],
  raw: [new Uint8Array(), Uint8Array.of(0, 255, 1, 254), new Uint8Array(300).fill(7)],
  e32: [
    [],
    [Math.fround(0.1), -0, Math.fround(3.5)],
    Array.from({ length: 256 }, (_, i) => Math.fround(i / 3)),
  ],
  e64: [[], [0.1, -0, Number.NaN, 1e300]],
  tags: [[], [''], ['a', 'ü', '🚀🚀'], Array.from({ length: 50 }, (_, i) => `t${i}`)],
};
