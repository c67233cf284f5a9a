/** What the hostile-client suite's server holds: one view of five float64 features over `KEYS` users. */
export const VIEW = 'hostile_stats';
export const FEATURE_NAMES = ['f0', 'f1', 'f2', 'f3', 'f4'] as const;
export const FEATURES = FEATURE_NAMES.map((f) => `${VIEW}:${f}`);
/** Users 1..KEYS exist; every other user_id is unknown. */
export const KEYS = 10_000;

export const REGISTRY = {
  entities: [{ name: 'user', joinKeys: [{ name: 'user_id', type: 'int64' }] }],
  views: [
    {
      name: VIEW,
      entity: 'user',
      maxAge: '1d',
      features: FEATURE_NAMES.map((name) => ({ name, type: 'float64' })),
    },
  ],
};

/** The body of `POST /v1/features` for `userIds`. */
export function featuresBody(userIds: readonly number[]): string {
  return JSON.stringify({ features: FEATURES, entities: userIds.map((user_id) => ({ user_id })) });
}
