import { describe, expect, it } from 'vitest';
import { readProjection } from './batch-reader.js';

describe('readProjection', () => {
  it('projects the key, the ttl and the requested features only', () => {
    expect(readProjection(['a', 'b'])).toEqual({
      ProjectionExpression: '#pk, #ttl, #v0, #t0, #w0, #v1, #t1, #w1',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#ttl': 'ttl',
        '#v0': 'v_a',
        '#t0': 't_a',
        '#w0': 'w_a',
        '#v1': 'v_b',
        '#t1': 't_b',
        '#w1': 'w_b',
      },
    });
  });

  it('reads whole items when the projection would not fit in 4 KB', () => {
    const many = Array.from({ length: 400 }, (_, i) => `f${i}`);
    expect(readProjection(many)).toEqual({});
  });
});
