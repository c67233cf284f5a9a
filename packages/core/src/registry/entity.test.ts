import { describe, expect, it } from 'vitest';
import { isGranaryError, type ValidationError } from '../errors.js';
import { defineEntity, type EntityInput, NAME_PATTERN } from './entity.js';

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(isGranaryError(error, 'VALIDATION_FAILED')).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('defineEntity', () => {
  it('turns plain names into string keys and keeps the declared order', () => {
    const e = defineEntity({
      name: 'user_item',
      joinKeys: [
        'user_id',
        { name: 'item_id', type: 'int64' },
        { name: 'blob' },
        { name: 'raw', type: 'bytes' },
      ],
      description: 'pairs',
    });
    expect(e).toEqual({
      name: 'user_item',
      joinKeys: [
        { name: 'user_id', type: 'string' },
        { name: 'item_id', type: 'int64' },
        { name: 'blob', type: 'string' },
        { name: 'raw', type: 'bytes' },
      ],
      description: 'pairs',
    });
  });

  it('returns frozen objects and drops an empty description', () => {
    const e = defineEntity({ name: 'user', joinKeys: ['user_id'], description: '' });
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.joinKeys)).toBe(true);
    expect(Object.isFrozen(e.joinKeys[0])).toBe(true);
    expect('description' in e).toBe(false);
  });

  it('accepts names of 1 to 128 letters, digits and _, starting with a letter', () => {
    expect(NAME_PATTERN.test('a')).toBe(true);
    expect(NAME_PATTERN.test(`a${'_'.repeat(127)}`)).toBe(true);
    expect(NAME_PATTERN.test(`a${'_'.repeat(128)}`)).toBe(false);
    expect(NAME_PATTERN.test('A9_z')).toBe(true);
  });

  describe('errors name the field', () => {
    const cases: [string, EntityInput, string, string][] = [
      ['a name starting with a digit', { name: '1user', joinKeys: ['id'] }, 'name', 'entity name "1user"'],
      ['an empty name', { name: '', joinKeys: ['id'] }, 'name', 'must match'],
      ['a name with a dash', { name: 'user-item', joinKeys: ['id'] }, 'name', 'must match'],
      ['no join keys', { name: 'user', joinKeys: [] }, 'joinKeys', 'needs at least one join key'],
      [
        'join keys not a list',
        { name: 'user', joinKeys: 'id' as unknown as string[] },
        'joinKeys',
        'at least one',
      ],
      ['a bad join key name', { name: 'user', joinKeys: ['id', 'user id'] }, 'joinKeys[1]', 'join key name'],
      [
        'a bad object join key name',
        { name: 'user', joinKeys: [{ name: '' }] },
        'joinKeys[0]',
        'join key name',
      ],
      [
        'a null join key',
        { name: 'user', joinKeys: ['id', null as unknown as string] },
        'joinKeys[1]',
        'join key name',
      ],
      [
        'an unknown join key type',
        { name: 'user', joinKeys: [{ name: 'id', type: 'float64' as 'string' }] },
        'joinKeys[0].type',
        'must be string, int64 or bytes',
      ],
      [
        'a duplicate join key',
        { name: 'user', joinKeys: ['id', { name: 'id', type: 'int64' }] },
        'joinKeys[1]',
        'duplicate join key id',
      ],
    ];
    for (const [what, input, path, message] of cases) {
      it(what, () => {
        const e = validationError(() => defineEntity(input));
        expect(e.path).toBe(path);
        expect(e.message).toContain(message);
        expect(e.details.path).toBe(path);
        expect(e.retryable).toBe(false);
      });
    }
  });
});
