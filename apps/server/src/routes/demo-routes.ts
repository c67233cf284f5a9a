import { Type } from 'typebox';
import type { DemoFeed } from '../demo/demo-feed.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { BODY_ERRORS } from '../schemas/common-schemas.js';

/** Demo-only routes (registered when the demo feed runs): its status, and the pipeline-lag switch (admin). */
export function registerDemoRoutes(app: GranaryApp, _ctx: AppContext, demo: DemoFeed): void {
  app.get(
    '/v1/demo',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Demo feed status',
        tags: ['demo'],
        response: { 200: Type.Unknown() },
      },
    },
    async () => demo.status(),
  );
  app.post(
    '/v1/demo/lag',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Simulate pipeline lag: new values and heartbeats carry event times this many seconds old',
        tags: ['demo'],
        body: Type.Object(
          { seconds: Type.Number({ minimum: 0, maximum: 7 * 86_400 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), ...BODY_ERRORS },
      },
    },
    async (request) => {
      demo.setLag(request.body.seconds * 1000);
      request.log.warn({ lagSeconds: request.body.seconds }, 'demo: simulated pipeline lag changed');
      return demo.status();
    },
  );
}
