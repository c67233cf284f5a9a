import { ValidationError } from '../errors.js';
import { NAME_PATTERN } from './entity.js';

/** Input to {@link defineFeatureService}. */
export interface FeatureServiceInput {
  /** Service name, unique in the registry; same rules as view names. */
  name: string;
  /** The feature references it serves, `view:feature`, in order; at least one, no duplicates. */
  features: readonly string[];
  /** Free text for people. Default: none. */
  description?: string;
}

/**
 * A named list of feature references (Feast's FeatureService): a request can name the service instead of
 * listing its features. Immutable. The references are checked against the views by {@link createRegistry}.
 */
export interface FeatureService {
  readonly name: string;
  readonly features: readonly string[];
  readonly description?: string;
}

const REF = /^[^:]+:[^:]+$/;

/**
 * Defines a feature service. Throws a ValidationError whose `path` names the offending field: a bad name,
 * no features, a reference that is not `view:feature`, or a duplicate reference.
 */
export function defineFeatureService(input: FeatureServiceInput): FeatureService {
  if (!NAME_PATTERN.test(input?.name ?? '')) {
    throw new ValidationError(
      `feature service name ${JSON.stringify(input?.name)} must match ${NAME_PATTERN}`,
      'name',
    );
  }
  if (!Array.isArray(input.features) || input.features.length === 0) {
    throw new ValidationError('must list at least one feature reference view:feature', 'features');
  }
  const seen = new Set<string>();
  input.features.forEach((ref, i) => {
    if (typeof ref !== 'string' || !REF.test(ref)) {
      throw new ValidationError(
        `feature reference ${JSON.stringify(ref)} must be "view:feature"`,
        `features[${i}]`,
      );
    }
    if (seen.has(ref)) throw new ValidationError(`duplicate feature reference ${ref}`, `features[${i}]`);
    seen.add(ref);
  });
  return Object.freeze({
    name: input.name,
    features: Object.freeze([...input.features]),
    ...(input.description === undefined ? {} : { description: input.description }),
  });
}
