import { describe, expect, it } from 'vitest';
import { schemaProblem } from './table-setup.js';

describe('schemaProblem', () => {
  it('accepts exactly pk HASH Binary', () => {
    expect(
      schemaProblem({
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'B' }],
      }),
    ).toBeUndefined();
  });

  it.each([
    [
      'a string pk',
      [{ AttributeName: 'pk', KeyType: 'HASH' }],
      [{ AttributeName: 'pk', AttributeType: 'S' }],
      'pk HASH S',
    ],
    [
      'another key name',
      [{ AttributeName: 'id', KeyType: 'HASH' }],
      [{ AttributeName: 'id', AttributeType: 'B' }],
      'id HASH B',
    ],
    [
      'a sort key',
      [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      [
        { AttributeName: 'pk', AttributeType: 'B' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      'pk HASH B, sk RANGE S',
    ],
  ] as const)('rejects %s, describing what it found', (_, keys, attrs, found) => {
    const problem = schemaProblem({ KeySchema: [...keys], AttributeDefinitions: [...attrs] });
    expect(problem).toContain(found);
    expect(problem).toContain('pk (Binary)');
  });
});
