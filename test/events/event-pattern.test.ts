import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern } from '../../events/event-pattern.ts';

// Examples from the EventBridge user guide ("Event patterns", "Comparison operators for use in event patterns").
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    location: null,
    'is-enabled': true,
  },
};

const cases: Array<[string, EventPattern, boolean]> = [
  ['exact source', { source: ['aws.ec2'] }, true],
  ['one of several values (OR)', { detail: { state: ['running', 'terminated'] } }, true],
  ['all keys (AND), one fails', { source: ['aws.ec2'], 'detail-type': ['Other'] }, false],
  ['a value of an array field', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, true],
  ['null matches a null value', { detail: { location: [null] } }, true],
  ['boolean', { detail: { 'is-enabled': [true] } }, true],
  ['numbers are not strings', { detail: { 'c-count': ['5'] } }, false],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ec2 INSTANCE' } }] }, true],
  ['suffix', { detail: { 'instance-id': [{ suffix: 'def0' }] } }, true],
  ['suffix ignoring case', { detail: { 'instance-id': [{ suffix: { 'equals-ignore-case': 'DEF0' } }] } }, true],
  ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, true],
  ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, true],
  ['wildcard must cover the whole value', { source: [{ wildcard: 'aws' }] }, false],
  ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but the value itself', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
  ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
  ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
  ['anything-but a prefix', { region: [{ 'anything-but': { prefix: 'us-' } }] }, false],
  ['anything-but a suffix', { detail: { 'instance-id': [{ 'anything-but': { suffix: '.png' } }] } }, true],
  ['anything-but ignoring case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['TERMINATED'] } }] } }, false],
  ['anything-but a wildcard', { source: [{ 'anything-but': { wildcard: 'aws.*' } }] }, false],
  ['anything-but needs the field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric out of range', { detail: { 'd-count': [{ numeric: ['<', 3] }] } }, false],
  ['numeric equality', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, true],
  ['numeric never matches a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists false on a missing field', { detail: { 'no-such-field': [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists true on a null value', { detail: { location: [{ exists: true }] } }, true],
  ['a missing field fails an exact match', { detail: { 'no-such-field': ['x'] } }, false],
  ['a nested pattern needs an object', { source: { nested: ['x'] } }, false],
  ['$or: either branch', { $or: [{ source: ['aws.s3'] }, { detail: { 'c-count': [{ numeric: ['>', 4] }] } }] }, true],
  ['$or: neither branch', { $or: [{ source: ['aws.s3'] }, { detail: { 'c-count': [{ numeric: ['>', 40] }] } }] }, false],
  ['$or inside detail', { detail: { $or: [{ state: ['x'] }, { 'instance-id': [{ prefix: 'i-' }] }] } }, true],
];

describe('EventBridge event patterns', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, ec2Event)).toBe(expected);
  });

  it('matches an array of objects if any element matches the nested pattern', () => {
    const event = {
      detail: {
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 9 },
        ],
      },
    };
    expect(matchesPattern({ detail: { items: { qty: [{ numeric: ['>', 5] }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { items: { qty: [{ numeric: ['>', 50] }] } } }, event)).toBe(false);
  });

  it('matches an empty string exactly and treats an escaped star in a wildcard literally', () => {
    expect(matchesPattern({ name: [''] }, { name: '' })).toBe(true);
    expect(matchesPattern({ name: [''] }, { name: 'x' })).toBe(false);
    expect(matchesPattern({ name: [{ wildcard: 'a\\*b' }] }, { name: 'a*b' })).toBe(true);
    expect(matchesPattern({ name: [{ wildcard: 'a\\*b' }] }, { name: 'axxb' })).toBe(false);
  });

  it('refuses a malformed numeric matcher instead of guessing', () => {
    expect(() => matchesPattern({ n: [{ numeric: ['~', 1] }] }, { n: 1 })).toThrow(/numeric/);
  });
});
