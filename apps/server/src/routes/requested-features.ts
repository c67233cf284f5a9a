import type { Registry } from '@granary/core';
import { ApiError } from '../http/api-error.js';

/** What a read request asks for: a list of features, or the name of a feature service. */
export interface FeatureSelection {
  readonly features?: readonly string[] | undefined;
  readonly service?: string | undefined;
}

/**
 * The feature references a read asks for: `features` as given, or the references of the feature service
 * named (the registry's, in its order). Exactly one of the two: both or neither is a 400 naming the field;
 * an unknown service is a 400 `UNKNOWN_FEATURE_SERVICE` naming `paths.service`. Shared by `/v1/features`
 * (`features` / `featureService`) and Feast's route (`features` / `feature_service`).
 */
export function requestedFeatures(
  registry: Registry,
  selection: FeatureSelection,
  paths: { readonly features: string; readonly service: string },
): readonly string[] {
  if (selection.service !== undefined) {
    if (selection.features !== undefined) {
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `${paths.service}: give either ${paths.features} or ${paths.service}, not both`,
        paths.service,
      );
    }
    return registry.getFeatureService(selection.service, paths.service).features;
  }
  if (selection.features === undefined) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      `${paths.features}: is required (or name a feature service in ${paths.service})`,
      paths.features,
    );
  }
  return selection.features;
}
