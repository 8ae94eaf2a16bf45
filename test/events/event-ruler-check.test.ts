import { describe, expect, it } from 'vitest';
import { busRules } from '../../events/bus-rules.ts';
import { checkEventPattern } from '../../events/event-pattern-check.ts';

/**
 * The patterns aws/event-ruler's JsonRuleCompilerTest accepts and refuses (testCompile,
 * testNumericExpressions, testExistsExpression, testWrongOrRelationshipRules with
 * wrongOrRelationshipRules.json), restated as parsed JSON: the cases that only test JSON syntax
 * (a missing comma or bracket) are JSON.parse's, not the pattern check's, and are left out.
 */
const good: unknown[] = [
  { a: [1] },
  { a: [{ prefix: 'child' }] },
  { a: [{ suffix: 'child' }] },
  { a: [{ prefix: { 'equals-ignore-case': 'child' } }] },
  { a: [{ suffix: { 'equals-ignore-case': 'child' } }] },
  { a: [{ 'anything-but': 'child' }] },
  { a: [{ 'anything-but': ['child0', 'child1', 'child2'] }] },
  { a: [{ 'anything-but': [111, 222, 333] }] },
  { a: [{ 'anything-but': 111 }] },
  { a: [{ 'anything-but': { prefix: 'foo' } }] },
  { a: [{ 'anything-but': { prefix: ['abc', '123'] } }] },
  { a: [{ 'anything-but': { suffix: 'foo' } }] },
  { a: [{ 'anything-but': { suffix: ['abc', '123'] } }] },
  { a: [{ 'anything-but': { 'equals-ignore-case': 'rule' } }] },
  { a: [{ 'anything-but': { 'equals-ignore-case': '' } }] },
  { a: [{ 'anything-but': { 'equals-ignore-case': ['abc', '123'] } }] },
  { a: [{ 'anything-but': { 'equals-ignore-case': ['abc', ''] } }] },
  { a: [{ 'anything-but': { wildcard: 'foo*bar' } }] },
  { a: [{ 'anything-but': { wildcard: '' } }] },
  { a: [{ 'anything-but': { wildcard: ['foo*bar', '*foobar*'] } }] },
  { a: [{ 'anything-but': { wildcard: ['foo*bar', ''] } }] },
  { a: [{ exactly: 'child' }] },
  { a: [{ exists: true }] },
  { a: [{ exists: false }] },
  { a: [{ cidr: '10.0.0.0/8' }] },
  { a: [{ 'equals-ignore-case': 'abc' }] },
  { a: [{ wildcard: 'a*b*c' }] },
  { resources: ['r1', 'r2'] },
  { 'detail-getType': ['ec2/spot-bid-matched'], detail: { state: ['in-service', 'dead'] } },
];

const bad: unknown[] = [
  [1, 2, 3],
  { a: 1 },
  { a: [{ x: 2 }] },
  { foo: {} },
  { foo: [] },
  { a: [{ exactly: 33 }] },
  { a: [{ prefix: 'child', foo: [] }] },
  { a: [{ prefix: 3 }] },
  { a: [{ suffix: 'child', foo: [] }] },
  { a: [{ suffix: 3 }] },
  { a: [{ foo: 'child' }] },
  { a: [{ cidr: 'foo' }] },
  { a: [{ 'anything-but': 'child', foo: [] }] },
  { a: [{ 'anything-but': ['child0', 111, 'child2'] }] },
  { a: [{ 'anything-but': { foo: 3 } }] },
  { a: [{ 'anything-but': { prefix: 27 } }] },
  { a: [{ 'anything-but': { prefix: '' } }] },
  { a: [{ 'anything-but': { prefix: 'foo', a: 1 } }] },
  { a: [{ 'anything-but': { prefix: 'foo' }, x: 1 }] },
  { a: [{ 'anything-but': { prefix: ['1', ''] } }] },
  { a: [{ 'anything-but': { prefix: [1, 2, 3] } }] },
  { a: [{ 'anything-but': { suffix: 27 } }] },
  { a: [{ 'anything-but': { suffix: '' } }] },
  { a: [{ 'anything-but': { suffix: 'foo', a: 1 } }] },
  { a: [{ 'anything-but': { suffix: 'foo' }, x: 1 }] },
  { a: [{ 'anything-but': { suffix: ['1', ''] } }] },
  { a: [{ 'anything-but': { suffix: [1, 2, 3] } }] },
  { a: [{ 'anything-but': { 'equals-ignore-case': [1, 2, 3] } }] },
  { a: [{ 'anything-but': { wildcard: 27 } }] },
  { a: [{ 'anything-but': { wildcard: 'foo', a: 1 } }] },
  { a: [{ 'anything-but': { wildcard: 'foo' }, x: 1 }] },
  { a: [{ 'anything-but': { wildcard: 'foo**bar' } }] },
  { a: [{ 'anything-but': { wildcard: 'foo*bar\\' } }] },
  { a: [{ 'anything-but': { wildcard: ['1', 'foo**bar'] } }] },
  { a: [{ 'anything-but': { wildcard: ['1', 'foo*bar\\'] } }] },
  { a: [{ 'anything-but': { wildcard: [1, 2, 3] } }] },
  { a: [{ 'equals-ignore-case': 5 }] },
  { a: [{ 'equals-ignore-case': ['abc'] }] },
  { a: [{ prefix: { 'invalid-expression': ['abc'] } }] },
  { a: [{ prefix: { 'equals-ignore-case': 5 } }] },
  { a: [{ prefix: { 'equals-ignore-case': ['abc'] } }] },
  { a: [{ prefix: { 'equals-ignore-case': 'abc', test: 'def' } }] },
  { a: [{ prefix: { 'equals-ignore-case': 'abc' }, test: 'def' }] },
  { a: [{ suffix: { 'invalid-expression': ['abc'] } }] },
  { a: [{ suffix: { 'equals-ignore-case': 5 } }] },
  { a: [{ suffix: { 'equals-ignore-case': ['abc'] } }] },
  { a: [{ suffix: { 'equals-ignore-case': 'abc', test: 'def' } }] },
  { a: [{ suffix: { 'equals-ignore-case': 'abc' }, test: 'def' }] },
  { a: [{ wildcard: 5 }] },
  { a: [{ wildcard: ['abc'] }] },
  // wrongOrRelationshipRules.json: one alternative is no OR (so $or is a field, and its list holds no matcher); a list among the alternatives.
  { $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }] },
  { detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }, [{ foo: ['wrong'] }]] } },
];

const numericGood = [
  '["=", 3.8]',
  '["=", 0.00000033]',
  '["=", -4e-8]',
  '["=", 55555]',
  '["<", 3.8]',
  '[">", 3.8]',
  '["<=", -4e-8]',
  '[">=", 55555]',
  '[">", 0, "<", 1]',
  '[">=", 0, "<", 1]',
  '[">", 0, "<=", 1]',
  '[">=", 0, "<=", 1]',
];
const numericBad = [
  '["=", true]',
  '["=", 2.0e22]',
  '["=", "-4e-8"]',
  '["="]',
  '["<", true]',
  '["<", 2.0e22]',
  '[">=", "-4e-8"]',
  '["<="]',
  '["<>", 1, ">", 0]',
  '["==", 1, ">", 0]',
  '["<", 1, ">", 0]',
  '[">", 1, "<", 1]',
  '[">", 30, "<", 1]',
  '[">", 1, "<", 30, false]',
];

describe('JsonRuleCompilerTest: what a pattern may say', () => {
  it.each(good.map((pattern) => [JSON.stringify(pattern), pattern]))('accepts %s', (_text, pattern) => {
    expect(checkEventPattern(pattern)).toEqual([]);
  });

  it.each(bad.map((pattern) => [JSON.stringify(pattern), pattern]))('refuses %s', (_text, pattern) => {
    expect(checkEventPattern(pattern).length).toBeGreaterThan(0);
  });

  it.each(numericGood)('testNumericExpressions accepts %s', (terms) =>
    expect(checkEventPattern({ x: [{ numeric: JSON.parse(terms) }] })).toEqual([]),
  );
  it.each(numericBad)('testNumericExpressions refuses %s', (terms) =>
    expect(checkEventPattern({ x: [{ numeric: JSON.parse(terms) }] })).toHaveLength(1),
  );

  it('testExistsExpression: true and false only', () => {
    expect(checkEventPattern({ x: [{ exists: true }] })).toEqual([]);
    expect(checkEventPattern({ x: [{ exists: false }] })).toEqual([]);
    for (const operand of ['badString', '= abc']) expect(checkEventPattern({ x: [{ exists: operand }] })).toHaveLength(1);
    expect(checkEventPattern({ x: [{ exists: true, extraKey: 'extraValue' }] })).toHaveLength(1);
  });

  it('names where each problem is, as a JSON Pointer into the pattern', () => {
    expect(checkEventPattern({ detail: { 'a/b': [{ prefix: 3 }], ok: ['x'], n: [{ numeric: ['>', 'x'] }] } })).toEqual([
      { path: '/detail/a~1b/0', message: 'prefix takes a string or {"equals-ignore-case": string}' },
      { path: '/detail/n/0', message: expect.stringContaining('numeric takes') },
    ]);
  });

  it("accepts this project's own bus rules", () => {
    for (const [name, rule] of Object.entries(busRules)) expect(checkEventPattern(rule.pattern), name).toEqual([]);
  });
});
