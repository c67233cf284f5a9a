import { Type } from 'typebox';

/** One store in a health answer: `engine.health()`'s report. */
export const StoreHealthSchema = Type.Object({
  role: Type.Union([Type.Literal('primary'), Type.Literal('secondary')]),
  name: Type.String(),
  ok: Type.Boolean(),
  latencyMs: Type.Number(),
  detail: Type.Optional(Type.String()),
  circuit: Type.Union([
    Type.Literal('closed'),
    Type.Literal('open'),
    Type.Literal('half_open'),
    Type.Literal('isolated'),
  ]),
});

const replicaFields = {
  views: Type.Integer({ description: 'Views of the loaded registry.' }),
  engine: Type.Union([Type.Literal('running'), Type.Literal('stopped')]),
  draining: Type.Boolean({ description: 'Shutdown started; in-flight requests are draining.' }),
};

/** `GET /readyz` (200 and 503). */
export const ReadinessSchema = Type.Object({
  ready: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  ...replicaFields,
  requireStore: Type.Boolean({ description: 'server.readiness.requireStore' }),
  stores: Type.Optional(Type.Array(StoreHealthSchema, { description: 'Only when requireStore is on.' })),
});

/** `GET /healthz`: `{ status: "ok" }`; with `?verbose` also readiness, the stores and their circuits. */
export const LivenessSchema = Type.Object({
  status: Type.Literal('ok'),
  ready: Type.Optional(Type.Boolean()),
  views: Type.Optional(replicaFields.views),
  engine: Type.Optional(replicaFields.engine),
  draining: Type.Optional(replicaFields.draining),
  stores: Type.Optional(Type.Array(StoreHealthSchema)),
});

/** The query of `GET /healthz`. */
export const LivenessQuerySchema = Type.Object(
  {
    verbose: Type.Optional(
      Type.String({
        description: 'Present (any value but false or 0): add readiness, store health and circuit states.',
      }),
    ),
  },
  { additionalProperties: false },
);
