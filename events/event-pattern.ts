import { BlockList, isIP } from 'node:net';

/**
 * Amazon EventBridge's event pattern grammar, evaluated locally: the bus rules in `bus-rules.ts`
 * are deployed as they are by the stack and matched by this in the local runtime, so both decide
 * alike; integrators' filters use the whole grammar. No maintained matcher exists on npm. The
 * reference is AWS's own matcher, aws/event-ruler (`Ruler.matchesRule`, array-consistent), whose
 * test cases `test/events/` runs; `checkEventPattern` (event-pattern-check.ts) refuses what it refuses.
 *
 * - A pattern is an object. Each key names a field of the event; its value is a nested pattern
 *   (an object) or an array of matchers, any of which may match (OR). All keys must match (AND).
 *   `$or` with two or more patterns is an OR of them; otherwise `$or` is an ordinary field name.
 * - Arrays in the event are crushed out, however deeply nested: a leaf matches if any of its
 *   values does, and a nested pattern must hold within one element of an array of objects (fields
 *   from different elements never combine).
 * - `exists` looks at leaves only: a field holding an object (or only objects) does not exist, and
 *   `exists: false` holds under a parent that is missing.
 */
export type EventPattern = { [field: string]: EventPattern | Matcher[] | EventPattern[] };

export type Scalar = string | number | boolean | null;
type OneOrMany = string | string[];
export type Matcher =
  | Scalar
  | { exactly: string }
  | { prefix: string | { 'equals-ignore-case': string } }
  | { suffix: string | { 'equals-ignore-case': string } }
  | { 'equals-ignore-case': string }
  | { wildcard: string }
  | {
      'anything-but':
        | Scalar
        | Scalar[]
        | { prefix: OneOrMany }
        | { suffix: OneOrMany }
        | { 'equals-ignore-case': OneOrMany }
        | { wildcard: OneOrMany };
    }
  | { numeric: Array<string | number> }
  | { exists: boolean }
  | { cidr: string };

/** The operators a matcher object may name; an object naming one of these is a matcher, not a pattern. */
export const matcherKeywords = [
  'exactly',
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;

const absent = Symbol('absent');
type Value = unknown | typeof absent;
type Json = Record<string, unknown>;

/** Whether an event (for EventBridge the full envelope: source, detail-type, detail, ...) matches. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const fields: Json = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, rule]) => {
    if (isOrOfPatterns(key, rule)) return rule.some((alternative) => matchesPattern(alternative, fields));
    const value: Value = Object.hasOwn(fields, key) ? fields[key] : absent;
    if (Array.isArray(rule)) return matchesLeaf(rule as Matcher[], value);
    // A nested pattern holds within one object; with none there, only what needs no value can hold.
    const objects = objectsIn(value);
    return objects.length === 0 ? matchesPattern(rule, {}) : objects.some((object) => matchesPattern(rule, object));
  });
}

/** `$or` is the OR primitive only with two or more patterns that are not matchers (event-ruler's README). */
export function isOrOfPatterns(key: string, rule: unknown): rule is EventPattern[] {
  return (
    key === '$or' &&
    Array.isArray(rule) &&
    rule.length >= 2 &&
    rule.every((item) => isObject(item) && !Object.keys(item).some(isMatcherKeyword))
  );
}

export const isMatcherKeyword = (key: string) => (matcherKeywords as readonly string[]).includes(key);
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const flatten = (value: Value): unknown[] => (value === absent ? [] : Array.isArray(value) ? value.flatMap(flatten) : [value]);
const objectsIn = (value: Value) => flatten(value).filter(isObject);
const leavesOf = (value: Value) => flatten(value).filter((item) => !isObject(item));

function matchesLeaf(matchers: Matcher[], value: Value): boolean {
  const leaves = leavesOf(value);
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher.exists === leaves.length > 0;
    return leaves.some((leaf) => matchesOne(matcher, leaf));
  });
}

function matchesOne(matcher: Matcher, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  if ('exactly' in matcher) return value === matcher.exactly;
  if ('prefix' in matcher) return typeof value === 'string' && affix(matcher.prefix, value, (text, part) => text.startsWith(part));
  if ('suffix' in matcher) return typeof value === 'string' && affix(matcher.suffix, value, (text, part) => text.endsWith(part));
  if ('equals-ignore-case' in matcher) return typeof value === 'string' && sameIgnoringCase(value, matcher['equals-ignore-case']);
  if ('wildcard' in matcher) return typeof value === 'string' && wildcard(matcher.wildcard).test(value);
  if ('anything-but' in matcher) return anythingBut(matcher['anything-but'], value);
  if ('numeric' in matcher) return typeof value === 'number' && numeric(matcher.numeric, value);
  if ('cidr' in matcher) return typeof value === 'string' && inCidr(matcher.cidr, value);
  throw new Error(`unknown matcher ${JSON.stringify(matcher)}`);
}

const sameIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function affix(part: string | { 'equals-ignore-case': string }, value: string, test: (text: string, part: string) => boolean) {
  return typeof part === 'string' ? test(value, part) : test(value.toLowerCase(), part['equals-ignore-case'].toLowerCase());
}

/**
 * `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash (the
 * EventBridge and event-ruler grammar; `checkEventPattern` refuses any other escape and `**`).
 */
export function wildcard(pattern: string): RegExp {
  const tokens = pattern.match(/\\[\\*]|\*|[^\\*]+|\\/g) ?? [];
  const source = tokens
    .map((token) => (token === '*' ? '.*' : escapeRegExp(token.length === 2 && token[0] === '\\' ? token[1]! : token)))
    .join('');
  return new RegExp(`^${source}$`, 's');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type AnythingBut = Extract<Matcher, { 'anything-but': unknown }>['anything-but'];

function anythingBut(rule: AnythingBut, value: unknown): boolean {
  if (Array.isArray(rule)) return (typeof value === 'string' || typeof value === 'number') && !rule.includes(value);
  if (!isObject(rule)) return (typeof value === 'string' || typeof value === 'number') && value !== rule;
  if (typeof value !== 'string') return false;
  if ('prefix' in rule) return ![rule.prefix].flat().some((prefix) => value.startsWith(prefix));
  if ('suffix' in rule) return ![rule.suffix].flat().some((suffix) => value.endsWith(suffix));
  if ('equals-ignore-case' in rule) return ![rule['equals-ignore-case']].flat().some((text) => sameIgnoringCase(text, value));
  return ![rule.wildcard].flat().some((pattern) => wildcard(pattern).test(value));
}

export const numericComparisons: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(terms: Array<string | number>, value: number): boolean {
  for (let i = 0; i < terms.length; i += 2) {
    const compare = numericComparisons[terms[i] as string];
    if (!compare || typeof terms[i + 1] !== 'number') throw new Error(`malformed numeric matcher ${JSON.stringify(terms)}`);
    if (!compare(value, terms[i + 1] as number)) return false;
  }
  return true;
}

/** The address family and prefix length of a CIDR block, or null when it is not one. */
export function parseCidr(cidr: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!match) return null;
  const version = isIP(match[1]!);
  const prefix = Number(match[2]);
  if (version === 0 || prefix > (version === 4 ? 32 : 128)) return null;
  return { network: match[1]!, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

const cidrBlocks = new Map<string, { list: BlockList; family: 'ipv4' | 'ipv6' } | null>();

/** IPv4 or IPv6, both ends of the block masked (event-ruler's MachineTest, testIPAddressOfCIDRIsEqualToMaximumOfRange). */
function inCidr(cidr: string, value: string): boolean {
  if (!cidrBlocks.has(cidr)) {
    const parsed = parseCidr(cidr);
    const list = new BlockList();
    if (parsed) list.addSubnet(parsed.network, parsed.prefix, parsed.family);
    cidrBlocks.set(cidr, parsed && { list, family: parsed.family });
  }
  const block = cidrBlocks.get(cidr);
  const version = isIP(value);
  if (!block || version === 0 || (version === 4 ? 'ipv4' : 'ipv6') !== block.family) return false;
  return block.list.check(value, block.family);
}
