import { describe, expect, it } from 'vitest';
import { isGranaryError } from '../errors.js';
import { ENGINE_DEFAULTS } from './engine-defaults.js';
import { createFixture } from './test-fixtures.js';

const entity = { user_id: 1n };

describe('ENGINE_DEFAULTS', () => {
  it('is what an engine built without options enforces (max deadline and entities per request)', async () => {
    const { engine } = createFixture();
    await engine.init();
    const ok = await engine.get({
      features: ['user_stats:ctr'],
      entities: [entity],
      deadlineMs: ENGINE_DEFAULTS.maxDeadlineMs,
    });
    expect(ok.entities).toHaveLength(1);
    const tooLong = engine.get({
      features: ['user_stats:ctr'],
      entities: [entity],
      deadlineMs: ENGINE_DEFAULTS.maxDeadlineMs + 1,
    });
    await expect(tooLong).rejects.toSatisfy((e) => isGranaryError(e, 'VALIDATION_FAILED'));
    const many = Array.from({ length: ENGINE_DEFAULTS.maxEntitiesPerRequest + 1 }, (_, i) => ({
      user_id: BigInt(i),
    }));
    await expect(engine.get({ features: ['user_stats:ctr'], entities: many })).rejects.toThrow(
      `at most ${ENGINE_DEFAULTS.maxEntitiesPerRequest} entities`,
    );
    await engine.close();
  });

  it("is frozen at every level, so no caller can change another engine's defaults", () => {
    expect(Object.isFrozen(ENGINE_DEFAULTS)).toBe(true);
    for (const value of Object.values(ENGINE_DEFAULTS)) {
      if (typeof value === 'object') expect(Object.isFrozen(value)).toBe(true);
    }
  });
});
