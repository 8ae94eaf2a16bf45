import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern } from '../../events/event-pattern.ts';
import { checkEventPattern } from '../../events/event-pattern-check.ts';

/**
 * aws/event-ruler, src/test/resources/correctness-cases.json: each rule and event as given there.
 * The file carries no verdicts: ACMachineStructuredTest holds every case to the array-consistent
 * matcher (ACMachine, `rulesForJSONEvent`), which is what EventBridge runs. The verdicts below are
 * that matcher's, following event-ruler's README ("JSON Array Matching": no match combines fields
 * from different elements of one array).
 */
const exists = [{ exists: true }];
const correctnessCases: Array<[string, EventPattern, unknown, boolean]> = [
  ['flat: 2-field exists, both present', { d: { a: exists, b: exists } }, { d: { a: 1, b: 2 } }, true],
  ['flat: 2-field exists, one missing', { d: { a: exists, b: exists } }, { d: { a: 1 } }, false],
  ['flat: exact match', { d: { a: ['hello'], b: ['world'] } }, { d: { a: 'hello', b: 'world' } }, true],
  ['flat: exact mismatch', { d: { a: ['hello'], b: ['world'] } }, { d: { a: 'hello', b: 'nope' } }, false],
  ['flat: prefix', { d: { a: [{ prefix: 'hel' }] } }, { d: { a: 'hello' } }, true],
  ['flat: numeric range', { d: { x: [{ numeric: ['>', 0, '<', 100] }] } }, { d: { x: 50 } }, true],
  ['flat: anything-but', { d: { s: [{ 'anything-but': 'banned' }] } }, { d: { s: 'active' } }, true],
  ['objarray: same element', { d: { a: exists, b: exists } }, { d: [{ a: 1, b: 2 }] }, true],
  ['objarray: split', { d: { a: exists, b: exists } }, { d: [{ a: 1 }, { b: 2 }] }, false],
  ['objarray: 3 elem, last valid', { d: { a: exists, b: exists } }, { d: [{ a: 1 }, { b: 2 }, { a: 3, b: 4 }] }, true],
  ['objarray: 3-field, all in one', { d: { a: exists, b: exists, c: exists } }, { d: [{ a: 1, b: 2, c: 3 }] }, true],
  ['objarray: 3-field, split 3 ways', { d: { a: exists, b: exists, c: exists } }, { d: [{ a: 1 }, { b: 2 }, { c: 3 }] }, false],
  ['objarray: exact same elem', { d: { name: ['alice'], status: ['active'] } }, { d: [{ name: 'alice', status: 'active' }] }, true],
  ['objarray: exact split', { d: { name: ['alice'], status: ['active'] } }, { d: [{ name: 'alice' }, { status: 'active' }] }, false],
  ['objarray: prefix same', { d: { name: [{ prefix: 'al' }], status: exists } }, { d: [{ name: 'alice', status: 'ok' }] }, true],
  ['objarray: prefix split', { d: { name: [{ prefix: 'al' }], status: exists } }, { d: [{ name: 'alice' }, { status: 'ok' }] }, false],
  ['primarray: exists', { d: { tags: exists, name: exists } }, { d: { tags: ['a', 'b'], name: 'x' } }, true],
  ['primarray: exact match', { tags: ['admin'] }, { tags: ['user', 'admin'] }, true],
  ['primarray: no match', { tags: ['superadmin'] }, { tags: ['user', 'admin'] }, false],
  ['nested: inner same', { u: { t: { k: ['color'], v: ['blue'] } } }, { u: [{ t: [{ k: 'color', v: 'blue' }] }] }, true],
  ['nested: inner split', { u: { t: { k: ['color'], v: ['blue'] } } }, { u: [{ t: [{ k: 'color' }, { v: 'blue' }] }] }, false],
  ['nested: outer split', { d: { name: exists, info: { x: ['1'] } } }, { d: [{ name: 'alice' }, { info: { x: '1' } }] }, false],
  ['nested: outer same', { d: { name: exists, info: { x: ['1'] } } }, { d: [{ name: 'alice', info: { x: '1' } }] }, true],
  ['nested2: same leaf', { a: { b: { x: exists, y: exists } } }, { a: [{ b: [{ x: 1, y: 2 }] }] }, true],
  ['nested2: split leaf', { a: { b: { x: exists, y: exists } } }, { a: [{ b: [{ x: 1 }, { y: 2 }] }] }, false],
  ['mixed: array+scalar match', { users: { name: exists }, version: ['1'] }, { users: [{ name: 'alice' }], version: '1' }, true],
  ['mixed: array+scalar fail', { users: { name: exists }, version: ['2'] }, { users: [{ name: 'alice' }], version: '1' }, false],
  ['exists-false: absent', { d: { a: exists, b: [{ exists: false }] } }, { d: [{ a: 1 }] }, true],
  ['exists-false: present', { d: { a: exists, b: [{ exists: false }] } }, { d: [{ a: 1, b: 2 }] }, false],
  ['empty object', { d: { a: exists } }, {}, false],
  ['empty array', { d: { a: exists } }, { d: [] }, false],
  ['single-field rule', { d: { a: exists } }, { d: [{ a: 1 }, { a: 2 }] }, true],
  [
    'many elem one valid',
    { d: { a: ['target'], b: ['found'] } },
    { d: [{ a: 'x' }, { a: 'y' }, { a: 'target', b: 'found' }, { a: 'z' }] },
    true,
  ],
  [
    'numeric+exists array',
    { i: { p: [{ numeric: ['>', 0, '<', 100] }], n: exists } },
    {
      i: [
        { n: 'w', p: 50 },
        { n: 'g', p: 200 },
      ],
    },
    true,
  ],
  [
    'anything-but array',
    { u: { s: [{ 'anything-but': 'banned' }], n: exists } },
    {
      u: [
        { n: 'alice', s: 'banned' },
        { n: 'bob', s: 'active' },
      ],
    },
    true,
  ],
  ['primarray: large + scalar, exists', { d: { tags: exists, type: exists } }, { d: { tags: ['a', 'b', 'c'], type: 'GROUP' } }, true],
  [
    'primarray: large + scalar, prefix',
    { d: { tags: [{ prefix: 'ad' }], type: exists } },
    { d: { tags: ['admin', 'user', 'dev'], type: 'GROUP' } },
    true,
  ],
  [
    'primarray: large + scalar, no match',
    { d: { tags: [{ prefix: 'super' }], type: exists } },
    { d: { tags: ['admin', 'user', 'dev'], type: 'GROUP' } },
    false,
  ],
  [
    'primarray: nested under object',
    { detail: { data: { name: exists, type: exists } } },
    { detail: { data: { name: ['alice', 'bob'], type: 'GROUP' } } },
    true,
  ],
  ['primarray: two prim arrays + scalar', { tags: exists, cats: exists, v: ['1'] }, { tags: ['a', 'b'], cats: ['x', 'y'], v: '1' }, true],
  [
    'primarray: exact match among many',
    { d: { name: ['target'], type: ['GROUP'] } },
    { d: { name: ['a', 'b', 'target', 'c'], type: 'GROUP' } },
    true,
  ],
  [
    'primarray: numeric in array',
    { d: { vals: [{ numeric: ['>', 0, '<', 10] }], type: exists } },
    { d: { vals: [100, 5, 200], type: 'ok' } },
    true,
  ],
  [
    'primarray: anything-but in array',
    { d: { tags: [{ 'anything-but': 'banned' }], type: exists } },
    { d: { tags: ['banned', 'ok'], type: 'x' } },
    true,
  ],
  ['primarray: single value array', { d: { name: exists, type: exists } }, { d: { name: ['only'], type: 'x' } }, true],
  ['primarray: empty prim array', { d: { name: exists, type: exists } }, { d: { name: [], type: 'x' } }, false],
  [
    'mixed: obj-array + prim-array',
    { users: { name: exists }, tags: ['admin'] },
    { users: [{ name: 'alice' }], tags: ['admin', 'user'] },
    true,
  ],
  [
    'mixed: obj-array split + prim-array',
    { users: { name: exists, email: exists }, tags: ['admin'] },
    { users: [{ name: 'alice' }, { email: 'b@x' }], tags: ['admin'] },
    false,
  ],
  [
    'deep prim: nested 3 levels',
    { a: { b: { c: { vals: exists, type: exists } } } },
    { a: { b: { c: { vals: ['x', 'y', 'z'], type: 'ok' } } } },
    true,
  ],
  ['suffix match in array', { d: { name: [{ suffix: 'ice' }], type: exists } }, { d: [{ name: 'alice', type: 'user' }] }, true],
  [
    'N emails, only last element has name',
    { detail: { email: exists, name: exists } },
    { detail: [{ email: 'a@x' }, { email: 'b@x' }, { email: 'c@x' }, { email: 'd@x' }, { email: 'e@x', name: 'eve' }] },
    true,
  ],
  ['suffix match split', { d: { name: [{ suffix: 'ice' }], type: exists } }, { d: [{ name: 'alice' }, { type: 'user' }] }, false],
];

describe('event-ruler correctness-cases.json (array-consistent verdicts)', () => {
  it.each(correctnessCases)('%s', (_name, rule, event, expected) => {
    expect(checkEventPattern(rule)).toEqual([]);
    expect(matchesPattern(rule, event)).toBe(expected);
  });

  it('ports every case of the file (51)', () => expect(correctnessCases).toHaveLength(51));
});
