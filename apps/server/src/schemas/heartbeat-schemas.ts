import { PRODUCER_NAME_PATTERN } from '@granary/core';
import { Type } from 'typebox';
import { WireTimeSchema } from './common-schemas.js';
import type { RegistrySchemas } from './registry-schemas.js';
import type { JsonSchema } from './value-schemas.js';

/** Body of `POST /v1/heartbeats`: producer `producer` has written view `view` completely up to `completeUpTo`. */
export const HeartbeatRequest = Type.Object(
  {
    view: Type.String({ minLength: 1, description: 'A view of the registry.' }),
    producer: Type.String({
      pattern: PRODUCER_NAME_PATTERN.source,
      description: 'The producer (batch job, stream): letters, digits, . _ : -, at most 128 characters.',
    }),
    completeUpTo: Type.Union(WireTimeSchema.anyOf, {
      description:
        'The view is complete up to this time: RFC 3339 or ms since the epoch, at most 5 minutes ahead of the server clock (400 beyond).',
    }),
  },
  { additionalProperties: false },
);

/** The documented body: `view` is one of the registry's. */
export function documentedHeartbeatRequest(rs: RegistrySchemas): JsonSchema {
  return { ...HeartbeatRequest, properties: { ...HeartbeatRequest.properties, view: rs.viewName } };
}

/** Answer of `POST /v1/heartbeats`: what was recorded (times RFC 3339). */
export const HeartbeatResponse = Type.Object({
  view: Type.String(),
  producer: Type.String(),
  completeUpTo: Type.String(),
  reportedAt: Type.String(),
});
