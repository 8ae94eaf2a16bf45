import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern } from '../../events/event-pattern.ts';
import { checkEventPattern } from '../../events/event-pattern-check.ts';

/**
 * Matching cases from aws/event-ruler's tests and README, each cited by file and test; the rules
 * and events are those of the source, restated as objects. Every rule must also pass the check.
 */
const matches = (rule: EventPattern, event: unknown) => {
  expect(checkEventPattern(rule), JSON.stringify(rule)).toEqual([]);
  return matchesPattern(rule, event);
};

const readmeEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:012345679012:instance/i-000000aaaaaa00000'],
  detail: {
    'c.count': 5,
    'd.count': 3,
    'x.limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};
const rfcEvent = {
  Image: {
    Width: 800,
    Height: 600,
    Title: 'View from 15th Floor',
    Thumbnail: { Url: 'http://www.example.com/image/481989943', Height: 125, Width: 100 },
    Animated: false,
    IDs: [116, 943, 234, 38793],
  },
};
const complexArrays = {
  employees: [
    [
      { firstName: 'John', lastName: 'Doe', ids: [1234, 1000, 9999] },
      { firstName: 'Anna', lastName: 'Smith' },
    ],
    [{ firstName: 'Peter', lastName: 'Jones', ids: [] }],
  ],
};

describe('RulerTest (Ruler.matchesRule)', () => {
  it('WHEN_RulesFromReadmeAreTried_THEN_TheyWork', () => {
    const rules: EventPattern[] = [
      {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:012345679012:instance/i-000000aaaaaa00000'],
        detail: { state: ['initializing', 'running'] },
      },
      { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }] } },
      {
        detail: {
          'source-ip': [{ cidr: '10.0.0.0/24' }],
          'c.count': [{ numeric: ['>', 0, '<=', 5] }],
          'd.count': [{ numeric: ['<', 10] }],
          'x.limit': [{ numeric: ['=', 3.018e2] }],
        },
      },
      { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
      { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } },
    ];
    for (const rule of rules) expect(matches(rule, readmeEvent), JSON.stringify(rule)).toBe(true);
  });

  it('WHEN_WeWriteRulesToMatchVariousFieldCombos_THEN_TheyWork', () => {
    const matching: EventPattern[] = [
      { Image: { Width: [800], Thumbnail: { Height: [125, 300] } } },
      { Image: { Thumbnail: { Url: [{ prefix: 'http' }] } } },
      {
        Image: {
          Width: [{ numeric: ['<', 1000] }],
          Height: [{ numeric: ['<=', 600] }],
          Title: [{ 'anything-but': 'View from 15th Flood' }],
          Thumbnail: {
            Url: [{ prefix: 'http' }],
            Height: [{ numeric: ['>', 124, '<', 126] }],
            Width: [{ numeric: ['>=', 99.999, '<=', 100] }],
          },
          Animated: [false],
        },
      },
    ];
    const nonMatching: EventPattern[] = [
      { Image: { Width: [{ numeric: ['<', 800] }] } },
      { Image: { Height: [{ numeric: ['<', 599] }] } },
      { Image: { Title: [{ 'anything-but': 'View from 15th Floor' }] } },
      { Image: { Thumbnail: { Url: [{ prefix: 'https' }] } } },
      { Image: { Thumbnail: { Height: [{ numeric: ['>', 124, '<', 125] }] } } },
      { Image: { Thumbnail: { Width: [{ numeric: ['>=', 100.00001, '<=', 1001] }] } } },
      { Image: { Animated: [true] } },
    ];
    for (const rule of matching) expect(matches(rule, rfcEvent), JSON.stringify(rule)).toBe(true);
    for (const rule of nonMatching) expect(matches(rule, rfcEvent), JSON.stringify(rule)).toBe(false);
  });

  it('WHEN_JSONContainsArrays_THEN_RulerNoCompileMatchesWork (arrays of arrays)', () => {
    const matching: EventPattern[] = [
      { employees: { firstName: ['Anna'] } },
      { employees: { firstName: ['John'], ids: [1000] } },
      { employees: { firstName: ['Anna'], ids: [{ exists: false }] } },
    ];
    const nonMatching: EventPattern[] = [
      { employees: { firstName: ['Alice'] } },
      { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      { employees: { firstName: ['Alice'], lastName: ['Bob'] } },
      { a: ['b'] },
      { employees: ['b'] },
      { employees: { firstName: ['Anna'], ids: [1000] } },
      { employees: { firstName: ['Anna'], ids: [{ exists: true }] } },
    ];
    for (const rule of matching) expect(matches(rule, complexArrays), JSON.stringify(rule)).toBe(true);
    for (const rule of nonMatching) expect(matches(rule, complexArrays), JSON.stringify(rule)).toBe(false);
  });

  it('WHEN_WeTryToMatchExistsRules_THEN_TheyWork', () => {
    const rules: EventPattern[] = [
      { a: [{ exists: true }] },
      { b: [{ exists: false }] },
      { x: [{ exists: true }] },
      { x: [{ exists: false }] },
    ];
    const events = [{ a: 1 }, { b: 2 }, { x: 'X' }];
    const expected = [
      [true, true, false, true],
      [false, false, false, true],
      [false, true, true, false],
    ];
    events.forEach((event, e) => rules.forEach((rule, r) => expect(matches(rule, event), `${r + 1}/${e + 1}`).toBe(expected[e]![r])));
  });

  it('WHEN_WeTryReallySimpleRules_THEN_TheyWork', () => {
    expect(matches({ a: [1] }, { a: 1 })).toBe(true);
    expect(matches({ b: [2] }, { b: 2 })).toBe(true);
    expect(matches({ x: ['X'] }, { x: 'X' })).toBe(true);
    for (const rule of [{ a: [1] }, { b: [2] }, { x: ['X'] }] as EventPattern[]) expect(matches(rule, { x: true })).toBe(false);
  });

  it('WHEN_WeTryAnythingButRules_THEN_Theywork', () => {
    const rule: EventPattern = {
      a: [{ 'anything-but': ['dad0', 'dad1', 'dad2'] }],
      b: [{ 'anything-but': [111, 222, 333] }],
      c: [{ 'anything-but': 'zdd' }],
      d: [{ 'anything-but': 444 }],
      z: [{ numeric: ['>', 0, '<', 1] }],
      w: [{ 'anything-but': { prefix: 'zax' } }],
    };
    const events = [
      { a: 'child1', b: '444', c: 'child1', d: 123, w: 'xaz', z: 0.001 },
      { a: 'dad789', b: 789, c: 'zdd', d: 123, w: 'xaz', z: 0.001 },
      { a: 'dad789', b: 789, c: 'child1', d: 123, w: 'xaz', z: 1.01 },
      { a: 'dad1', b: 345, c: 'child1', d: 123, w: 'xaz', z: 0.001 },
      { a: 'abc', b: 111, c: 'child1', d: 123, w: 'xaz', z: 0.001 },
      { a: 'dad1', b: 333, c: 'child1', d: 123, w: 'xaz', z: 0.001 },
      { a: 'abc', b: 0, c: 'child1', d: 444, w: 'xaz', z: 0.999999 },
      { a: 'child1', b: '444', c: 'child1', d: 123, w: 'zaxonie', z: 0.001 },
    ];
    expect(events.map((event) => matches(rule, event))).toEqual([true, false, false, false, false, false, false, false]);
  });

  it('WHEN_WeTryEqualsIgnoreCaseRules_THEN_TheyWork', () => {
    const rule: EventPattern = {
      a: [{ 'equals-ignore-case': 'aBc' }],
      b: [{ 'equals-ignore-case': 'Def' }],
      c: [{ 'equals-ignore-case': 'xyZ' }],
    };
    const events = [
      { a: 'ABC', b: 'defx', c: 'xYz', d: 'rst' },
      { a: 'ABC', c: 'xYz', d: 'rst' },
      { a: 'ABC', b: 'xYz', c: 'def', d: 'rst' },
      { a: 'ABC', b: 'def', c: 'xYz', d: 'rst' },
    ];
    expect(events.map((event) => matches(rule, event))).toEqual([false, false, false, true]);
  });

  it('WHEN_WeTryWildcardRules_THEN_TheyWork', () => {
    const rule: EventPattern = { a: [{ wildcard: '*bc' }], b: [{ wildcard: 'd*f' }], c: [{ wildcard: 'xy*' }], d: [{ wildcard: 'xy*' }] };
    const events = [
      { a: 'abcbc', b: 'deeeefx', c: 'xy', d: 'xyzzz' },
      { a: 'abcbc', b: 'deeeef', d: 'xyzzz' },
      { a: 'abcbc', b: 'xy', c: 'deeeef', d: 'xyzzz' },
      { a: 'abcbc', b: 'deeeef', c: 'xy', d: 'xyzzz' },
    ];
    expect(events.map((event) => matches(rule, event))).toEqual([false, false, false, true]);
  });
});

describe('MachineTest (rulesForJSONEvent)', () => {
  it('testPrefixMatching, testSuffixMatching', () => {
    for (const value of ['zookeeper', 'zoo']) expect(matches({ a: [{ prefix: 'zoo' }] }, { a: value })).toBe(true);
    for (const value of ['childlike', 'childish', 'childhood']) expect(matches({ b: [{ prefix: 'child' }] }, { b: value })).toBe(true);
    expect(matches({ a: [{ prefix: 'al' }] }, { a: 'albert' }) && matches({ a: ['albert'] }, { a: 'albert' })).toBe(true);
    for (const value of ['zookeeper', 'checker', 'er']) expect(matches({ a: [{ suffix: 'er' }] }, { a: value })).toBe(true);
    for (const value of ['amazon.txt', 'Texttxt', 'txt']) expect(matches({ b: [{ suffix: 'txt' }] }, { b: value })).toBe(true);
    expect(matches({ b: [{ suffix: 'txt' }] }, { a: 'zookeeper' })).toBe(false);
  });

  it('testEqualsIgnoreCaseMatching', () => {
    expect(matches({ a: [{ 'equals-ignore-case': 'aBc' }] }, { a: 'abc' })).toBe(true);
    expect(matches({ a: [{ 'equals-ignore-case': 'aBc' }] }, { a: 'AbC' })).toBe(true);
    expect(matches({ b: [{ 'equals-ignore-case': 'XyZ' }] }, { b: 'XYZ' })).toBe(true);
    expect(matches({ b: [{ 'equals-ignore-case': 'xyZ' }] }, { b: 'XYZ' })).toBe(true);
    expect(matches({ b: [{ 'equals-ignore-case': 'XyZ' }] }, { b: 'xyzz' })).toBe(false);
    expect(matches({ a: [{ 'equals-ignore-case': 'aBc' }] }, { a: 'aabc' })).toBe(false);
    expect(matches({ b: [{ 'equals-ignore-case': 'XyZ' }] }, { b: 'ABCXYZ' })).toBe(false);
  });

  it('testWildcardMatching', () => {
    const yes: Array<[string, string]> = [
      ['*bc', 'bc'],
      ['*bc', 'abc'],
      ['d*f', 'dexef'],
      ['d*f', 'dexeff'],
      ['d*ff', 'dexeff'],
      ['xy*', 'xyzzz'],
      ['xy*', 'xy'],
      ['12*4*', '12345'],
    ];
    const no: Array<[string, string]> = [
      ['xy*', 'abc'],
      ['*bc', 'xyz'],
      ['xy*', 'abcxyz'],
      ['d*f', 'ef'],
      ['d*f', 'de'],
      ['12*4*', '1235'],
    ];
    for (const [wildcard, value] of yes) expect(matches({ f: [{ wildcard }] }, { f: value }), `${wildcard} ~ ${value}`).toBe(true);
    for (const [wildcard, value] of no) expect(matches({ f: [{ wildcard }] }, { f: value }), `${wildcard} !~ ${value}`).toBe(false);
  });

  it('CIDRTest: 10.0.0.0/22 to /31 match exactly the addresses of their block', () => {
    const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    const base = 0x0a000000;
    for (let bits = 22; bits < 32; bits++) {
      const inside = 2 ** (32 - bits);
      let matched = 0;
      for (let n = base - 16; n < base + inside + 16; n++) if (matches({ a: [{ cidr: `10.0.0.0/${bits}` }] }, { a: ip(n) })) matched++;
      expect(matched, `/${bits}`).toBe(inside);
    }
  });

  it('testIPAddressOfCIDRIsEqualToMaximumOfRange: the block is masked at both ends', () => {
    const within = (cidr: string, address: string) => matches({ sourceIPAddress: [{ cidr }] }, { sourceIPAddress: address });
    expect(['220.160.153.170', '220.160.153.171'].map((a) => within('220.160.153.171/31', a))).toEqual([true, true]);
    expect(['220.160.153.169', '220.160.153.172'].map((a) => within('220.160.153.171/31', a))).toEqual([false, false]);
    expect(['220.160.154.0', '220.160.154.255'].map((a) => within('220.160.154.255/24', a))).toEqual([true, true]);
    expect(['220.160.153.255', '220.160.155.0'].map((a) => within('220.160.154.255/24', a))).toEqual([false, false]);
    expect(['220.160.59.224', '220.160.59.225'].map((a) => within('220.160.59.225/31', a))).toEqual([true, true]);
    expect(['220.160.59.223', '220.160.59.226'].map((a) => within('220.160.59.225/31', a))).toEqual([false, false]);
  });

  it('testIpExactMatch: IPv4 and IPv6 addresses as exact values', () => {
    const rule = (ip: string): EventPattern => ({
      detail: { eventName: ['UpdateService'], eventSource: ['ecs.amazonaws.com'], sourceIPAddress: [ip] },
      'detail-type': ['AWS API Call via CloudTrail'],
      source: ['aws.ecs'],
    });
    const event = (ip: string) => ({
      detail: { eventName: 'UpdateService', eventSource: 'ecs.amazonaws.com', sourceIPAddress: ip },
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ecs',
    });
    const pairs: Array<[string, string]> = [
      ['0011:2233:4455:6677:8899:aabb:ccdd:eeff', '0011:2233:4455:6677:8899:aabb:ccdd:eefe'],
      ['2001:db8::ff00:42:8329', '2001:db8::ff00:42:832a'],
      ['::0', '::1'],
      ['2400:6500:FF00::36FB:1F80', '2400:6500:FF00::36FB:1F81'],
      ['2400:6500:FF00::36FB:1F8F', '2400:6500:FF00::36FB:1F8E'],
      ['54.240.196.255', '54.240.196.254'],
      ['255.255.255.27', '255.255.255.28'],
    ];
    for (const [ip, other] of pairs) {
      expect(matches(rule(ip), event(ip)), ip).toBe(true);
      expect(matches(rule(ip), event(other)), other).toBe(false);
    }
  });

  it('testExists, testNumericMatch (values in arrays), testAnythingButEqualsIgnoreCaseDeletion', () => {
    expect(matches({ abc: [{ exists: false }] }, { abc: 'xyz' })).toBe(false);
    expect(matches({ abc: [{ exists: true }] }, { abc: 'xyz' })).toBe(true);
    expect(matches({ abc: [{ exists: false }] }, { xyz: 'abc' })).toBe(true);
    const numeric: EventPattern = {
      a: [{ numeric: ['=', 0] }],
      b: [{ numeric: ['<', 0] }],
      c: [{ numeric: ['<=', 0] }],
      x: [{ numeric: ['>', 0] }],
      y: [{ numeric: ['>=', 0] }],
      z: [{ numeric: ['>', 0, '<', 1] }],
    };
    expect(matches(numeric, { a: [0], b: [-0.1], c: [0], x: [1], y: [0], z: [0.1] })).toBe(true);
    const ignoringCase: EventPattern = {
      a: [{ 'anything-but': { 'equals-ignore-case': ['dad0', 'dad1', 'dad2'] } }],
      c: [{ 'anything-but': { 'equals-ignore-case': 'dad0' } }],
      z: [{ numeric: ['>', 0, '<', 1] }],
    };
    expect(matches(ignoringCase, { a: 'Child1', c: 'chiLd1', z: 0.001 })).toBe(true);
    expect(matches(ignoringCase, { a: 'dAd4', c: 'Child1', z: 0.001 })).toBe(true);
    expect(matches(ignoringCase, { a: 'DAD1', c: 'Child1', z: 0.001 })).toBe(false);
  });

  it('testAnythingButDeletion: anything-but numbers passes a string, and strings a number', () => {
    const rule: EventPattern = {
      a: [{ 'anything-but': ['dad0', 'dad1', 'dad2'] }],
      b: [{ 'anything-but': [111, 222, 333] }],
      c: [{ 'anything-but': 'dad0' }],
      d: [{ 'anything-but': 111 }],
      z: [{ numeric: ['>', 0, '<', 1] }],
    };
    expect(matches(rule, { a: 'child1', b: '444', c: 'child1', d: '444', z: 0.001 })).toBe(true);
    expect(matches(rule, { a: 'dad4', b: 444, c: 'child1', d: '444', z: 0.001 })).toBe(true);
  });

  it('OneRuleMadeByTwoConditions, testSharedNameState, testRuleIsSingleItemSubsetOfOtherRule', () => {
    const either = (event: object) =>
      matches({ A: ['on'], C: ['on'], D: ['off'] }, event) || matches({ B: ['on'], C: ['on'], D: ['off'] }, event);
    expect(
      [
        { A: 'on', C: 'on', D: 'off' },
        { B: 'on', C: 'on', D: 'off' },
        { A: 'on', B: 'on', C: 'on', D: 'on' },
        { A: 'on', B: 'on', C: 'on', D: 'off' },
      ].map(either),
    ).toEqual([true, true, false, true]);
    const event = { foo: 'a', bar: 'x' };
    expect(
      [
        { foo: ['a'], bar: ['x', 'y'] },
        { foo: ['a', 'b'], bar: ['x'] },
        { foo: ['a', 'b'], bar: ['y'] },
      ].map((rule) => matches(rule, event)),
    ).toEqual([true, true, false]);
    expect(
      matches(
        {
          $or: [
            { zoo: ['1'], bar: ['x'] },
            { foo: ['a'], bar: ['y'] },
          ],
        },
        event,
      ),
    ).toBe(false);
    expect([{ foo: ['a', 'b', 'c'] }, { foo: ['b'] }].map((rule) => matches(rule, { foo: 'a' }))).toEqual([true, false]);
  });
});

describe('CIDRTest: IPv4 and IPv6 blocks (TestCorrectRanges), malformed blocks refused (SpotMalformedCIDRs)', () => {
  // [block, first address, last address]: the ranges TestCorrectRanges expects, for blocks given with their host bits zero.
  const blocks: Array<[string, string, string]> = [
    ['10.0.0.0/24', '10.0.0.0', '10.0.0.255'],
    ['192.0.2.0/24', '192.0.2.0', '192.0.2.255'],
    ['13.32.0.0/15', '13.32.0.0', '13.33.255.255'],
    ['27.0.0.0/22', '27.0.0.0', '27.0.3.255'],
    ['52.76.128.0/17', '52.76.128.0', '52.76.255.255'],
    ['34.192.0.0/12', '34.192.0.0', '34.207.255.255'],
    ['2400:6500:FF00::36FB:1F80/122', '2400:6500:ff00::36fb:1f80', '2400:6500:ff00::36fb:1fbf'],
    ['2600:9000::/28', '2600:9000::', '2600:900f:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2600:1F11::/36', '2600:1f11::', '2600:1f11:0fff:ffff:ffff:ffff:ffff:ffff'],
    ['2600:1F14::/35', '2600:1f14::', '2600:1f14:1fff:ffff:ffff:ffff:ffff:ffff'],
  ];
  const step = (address: string, by: 1 | -1) => {
    if (!address.includes(':')) {
      const n = address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0) + by;
      return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    }
    const [head, tail = ''] = address.split('::');
    const groups = [
      ...head!.split(':').filter(Boolean),
      ...Array(8 - head!.split(':').filter(Boolean).length - tail.split(':').filter(Boolean).length).fill('0'),
      ...tail.split(':').filter(Boolean),
    ];
    const n = BigInt(`0x${groups.map((g) => g.padStart(4, '0')).join('')}`) + BigInt(by);
    return n.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':');
  };

  it.each(blocks)('%s holds %s to %s and nothing either side', (cidr, first, last) => {
    const within = (address: string) => matches({ a: [{ cidr }] }, { a: address });
    expect([first, last].map(within)).toEqual([true, true]);
    expect([step(first, -1), step(last, 1)].map(within)).toEqual([false, false]);
  });

  it('never matches an address of the other family, or a value that is no address', () => {
    expect(matches({ a: [{ cidr: '::/0' }] }, { a: '10.0.0.1' })).toBe(false);
    expect(matches({ a: [{ cidr: '0.0.0.0/0' }] }, { a: '::1' })).toBe(false);
    expect(matches({ a: [{ cidr: '0.0.0.0/0' }] }, { a: 'snorkle' })).toBe(false);
  });

  it.each([
    '192.168.0.1/33',
    'foo',
    'foo/bar/baz',
    '192.168.0.1/foo',
    '192.168.0.1/-3424',
    'snorkle/3',
    '10.10.10.10.10/3',
    '2.1.0.-1/3',
    '2400:6500:3:3:3:3:3:3:3:3FF00::36FB:1F80/122',
    '2400:6500:3:3:-5:3:3:3:3:3FF00::36FB:1F80/122',
    '2400:6500:3:3:3:3:FFFFFFFFFFF:3:3:3FF00::36FB:1F80/122',
    '2400:6500:FF00::36FB:1F80/222',
  ])('refuses %s', (cidr) => {
    expect(checkEventPattern({ a: [{ cidr }] })).toHaveLength(1);
  });
});

describe('README: exists on leaves only, arrays, $or', () => {
  it('"Exists matching": exists false matches a field holding an object; exists true does not', () => {
    const event = { 'detail-type': 'EC2 Instance State-change Notification', detail: { state: 'running', 'c-count': { c1: 100 } } };
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, { detail: { state: 'running' } })).toBe(true);
  });

  it('exists false under a parent that is missing, or not an object', () => {
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, { source: 'x' })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, { detail: 'flat' })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, { source: 'x' })).toBe(false);
  });

  it('"JSON Array Matching": array structure crushed out, fields within one element', () => {
    const flat = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    const nested = { employees: [[flat.employees[0], flat.employees[1]], [flat.employees[2]]] };
    for (const event of [flat, nested]) {
      expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
      expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    }
    expect(matches({ tags: ['b'] }, { tags: [['a'], ['b', ['c']]] })).toBe(true);
    expect(matches({ tags: [{ exists: true }] }, { tags: [[], [[]]] })).toBe(false);
  });

  it('"The $or Primitive": normal, parallel, And inside Or, nested Or and And', () => {
    const event = {
      source: 'aws.cloudwatch',
      metricName: 'Other',
      namespace: 'AWS/EC2',
      metricType: 'MetricType',
      metricId: 1234,
      detail: { source: 'x', 'detail-type': 'CloudWatch Alarm State Change' },
    };
    expect(
      matches(
        { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
        event,
      ),
    ).toBe(true);
    expect(
      matches(
        {
          $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
          detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
        },
        event,
      ),
    ).toBe(true);
    expect(
      matches(
        {
          source: ['aws.cloudwatch'],
          $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/ES'] }, { scope: ['Service'] }],
        },
        event,
      ),
    ).toBe(false);
    expect(
      matches(
        {
          source: ['aws.cloudwatch'],
          $or: [
            { metricName: ['CPUUtilization'] },
            { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
            { scope: ['Service'] },
          ],
        },
        event,
      ),
    ).toBe(true);
  });

  it('"backward compatibility": $or that is not a list of two or more patterns is a field name (normalRulesWithOrWording.json)', () => {
    const rules: EventPattern[] = [
      { $or: [{ cidr: '10.0.0.0/24' }] },
      { source: ['aws.cloudwatch'], $or: { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] } },
      { time: [{ prefix: '2017-10-02' }], detail: { $or: [{ numeric: ['>', 0, '<=', 5] }, { cidr: '10.0.0.0/8' }] } },
      { detail: { $or: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['>', 10] }] } },
    ];
    const events = [
      { $or: '10.0.0.7' },
      { source: 'aws.cloudwatch', $or: { metricType: 'MetricType', namespace: 'AWS/ES' } },
      { time: '2017-10-02T00:00:00Z', detail: { $or: '10.1.2.3' } },
      { detail: { $or: 11 } },
    ];
    rules.forEach((rule, i) => {
      expect(matches(rule, events[i]), JSON.stringify(rule)).toBe(true);
      expect(matchesPattern(rule, { $or: 'nothing', detail: { $or: 'nothing' } })).toBe(false);
    });
  });

  it('"Wildcard matching": \\* is a literal star, \\\\ a literal backslash, even right before a wildcard *', () => {
    expect(matches({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axxb' })).toBe(false);
    expect(matches({ f: [{ wildcard: 'a\\\\*' }] }, { f: 'a\\xyz' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'a\\\\*' }] }, { f: 'a\\' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'a\\\\*' }] }, { f: 'a*' })).toBe(false);
    expect(matches({ f: [{ wildcard: 'a\\\\\\*' }] }, { f: 'a\\*' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'a\\\\\\*' }] }, { f: 'a\\x' })).toBe(false);
  });
});

describe('JsonRuleCompilerTest', () => {
  it('testBigNumbers, testVariantForms', () => {
    expect(matches({ account: [123456789012] }, { account: 123456789012 })).toBe(true);
    const event = { a: 133.3, b: '192.0.2.0' };
    for (const rule of [
      { a: [133.3] },
      { a: [{ numeric: ['>', 120, '<=', 140] }] },
      { b: ['192.0.2.0'] },
      { b: [{ cidr: '192.0.2.0/24' }] },
    ] as EventPattern[]) {
      expect(matches(rule, event), JSON.stringify(rule)).toBe(true);
    }
  });

  it('testBasicFunctionOfOrRelationshipRules', () => {
    const event = {
      detail: {
        'detail-type': 'EC2 Instance State-change Notification',
        resources: 'arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000',
        info: { 'state-status': 'running', 'state-count': { count: 100 } },
        'c-count': 1,
        'd-count': 8,
      },
      news: { newsProviders: 'p1', newCondition1: 'news111', newCondition2: 'news222' },
    };
    const counts = [
      { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
      { 'd-count': [{ numeric: ['<', 10] }] },
      { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
    ] as EventPattern[];
    expect(matches({ detail: { $or: counts } }, event)).toBe(true);
    const rule2: EventPattern = {
      detail: {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
        info: { 'state-status': ['initializing', 'running'], 'state-count': { count: [100] } },
        $or: counts,
      },
      news: { newsProviders: ['p1', 'p2'], $or: [{ newCondition1: ['news111'] }, { newCondition2: ['news222'] }] },
    };
    expect(matches(rule2, event)).toBe(true);
  });

  it('testMoreCaseOfOrRelationshipRules (orRelationshipRules.json, 5th): $or of deeply nested patterns', () => {
    const rule: EventPattern = {
      source: ['aws.cloudwatch'],
      detail: { state: { value: ['ALARM'] } },
      $or: [
        { withConfiguration: { metrics: { metricStat: { metric: { namespace: ['AWS/EC2'] } } } } },
        { withoutConfiguration: { metric: { name: ['AWS/Default'] } } },
      ],
    };
    expect(
      matches(rule, {
        source: 'aws.cloudwatch',
        detail: { state: { value: 'ALARM' } },
        withoutConfiguration: { metric: { name: 'AWS/Default' } },
      }),
    ).toBe(true);
    expect(
      matches(rule, {
        source: 'aws.cloudwatch',
        detail: { state: { value: 'ALARM' } },
        withConfiguration: { metrics: [{ metricStat: { metric: { namespace: 'AWS/EC2' } } }] },
      }),
    ).toBe(true);
    expect(
      matches(rule, {
        source: 'aws.cloudwatch',
        detail: { state: { value: 'OK' } },
        withoutConfiguration: { metric: { name: 'AWS/Default' } },
      }),
    ).toBe(false);
  });
});
