/**
 * Amazon EventBridge's event pattern grammar, evaluated locally: the bus rules in `bus-rules.ts`
 * are deployed as they are by the stack and matched by this in the local runtime, so both decide
 * alike. No maintained matcher exists on npm.
 *
 * Grammar (EventBridge user guide, "Event patterns" and "Comparison operators"):
 * - A pattern is an object. Each key names a field of the event; its value is a nested pattern
 *   (an object) or an array of matchers, any of which may match (OR). All keys must match (AND).
 *   `$or` takes an array of patterns, any of which may match.
 * - A field whose value is an array matches if any of its elements matches.
 * - Matchers: a string, number, boolean or null (exact), and `{prefix}`, `{suffix}` (each also as
 *   `{equals-ignore-case}`), `{equals-ignore-case}`, `{wildcard}`, `{anything-but}` (a value, a
 *   list, or `{prefix}`/`{suffix}`/`{equals-ignore-case}`/`{wildcard}`), `{numeric}` (up to two
 *   comparisons), `{exists}` and `{cidr}`.
 */
export type EventPattern = { [field: string]: EventPattern | Matcher[] | EventPattern[] };

export type Scalar = string | number | boolean | null;
export type Matcher =
  | Scalar
  | { prefix: string | { 'equals-ignore-case': string } }
  | { suffix: string | { 'equals-ignore-case': string } }
  | { 'equals-ignore-case': string }
  | { wildcard: string }
  | { 'anything-but': Scalar | Scalar[] | { prefix: string } | { suffix: string } | { 'equals-ignore-case': string | string[] } | { wildcard: string | string[] } }
  | { numeric: Array<string | number> }
  | { exists: boolean }
  | { cidr: string };

const absent = Symbol('absent');
type Value = unknown | typeof absent;

/** Whether an EventBridge event (the full envelope: source, detail-type, detail, ...) matches. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return (rule as EventPattern[]).some((alternative) => matchesPattern(alternative, event));
    const value: Value = isObject(event) && Object.hasOwn(event, key) ? event[key] : absent;
    if (Array.isArray(rule)) return matchesLeaf(rule as Matcher[], value);
    // A nested pattern: the field must be an object (or an array of them, any of which may match).
    const candidates = Array.isArray(value) ? value : [value];
    return candidates.some((candidate) => isObject(candidate) && matchesPattern(rule, candidate));
  });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function matchesLeaf(matchers: Matcher[], value: Value): boolean {
  const values = value === absent ? [] : Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher.exists === (value !== absent && !(Array.isArray(value) && value.length === 0));
    return values.some((candidate) => matchesOne(matcher, candidate));
  });
}

function matchesOne(matcher: Matcher, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  if ('prefix' in matcher) return typeof value === 'string' && affix(matcher.prefix, value, (text, part) => text.startsWith(part));
  if ('suffix' in matcher) return typeof value === 'string' && affix(matcher.suffix, value, (text, part) => text.endsWith(part));
  if ('equals-ignore-case' in matcher) return typeof value === 'string' && value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  if ('wildcard' in matcher) return typeof value === 'string' && wildcard(matcher.wildcard).test(value);
  if ('anything-but' in matcher) return anythingBut(matcher['anything-but'], value);
  if ('numeric' in matcher) return typeof value === 'number' && numeric(matcher.numeric, value);
  if ('cidr' in matcher) return typeof value === 'string' && inCidr(matcher.cidr, value);
  throw new Error(`unknown matcher ${JSON.stringify(matcher)}`);
}

function affix(part: string | { 'equals-ignore-case': string }, value: string, test: (text: string, part: string) => boolean) {
  return typeof part === 'string' ? test(value, part) : test(value.toLowerCase(), part['equals-ignore-case'].toLowerCase());
}

/** `*` matches any run of characters; `\*` is a literal star. */
function wildcard(pattern: string): RegExp {
  const parts = pattern.split(/(\\\*|\*)/).map((part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('')}$`, 's');
}

function anythingBut(rule: Extract<Matcher, { 'anything-but': unknown }>['anything-but'], value: unknown): boolean {
  if (Array.isArray(rule)) return (typeof value === 'string' || typeof value === 'number') && !rule.includes(value);
  if (!isObject(rule)) return (typeof value === 'string' || typeof value === 'number') && value !== rule;
  if (typeof value !== 'string') return false;
  if ('prefix' in rule) return !value.startsWith(rule.prefix);
  if ('suffix' in rule) return !value.endsWith(rule.suffix);
  if ('equals-ignore-case' in rule) return ![rule['equals-ignore-case']].flat().some((text) => text.toLowerCase() === value.toLowerCase());
  return ![rule.wildcard].flat().some((pattern) => wildcard(pattern).test(value));
}

const comparisons: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(terms: Array<string | number>, value: number): boolean {
  for (let i = 0; i < terms.length; i += 2) {
    const compare = comparisons[terms[i] as string];
    if (!compare || typeof terms[i + 1] !== 'number') throw new Error(`malformed numeric matcher ${JSON.stringify(terms)}`);
    if (!compare(value, terms[i + 1] as number)) return false;
  }
  return true;
}

function inCidr(cidr: string, value: string): boolean {
  const [network, bits] = cidr.split('/');
  const address = ipv4(value);
  const base = ipv4(network ?? '');
  const prefix = Number(bits);
  if (address === null || base === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((address & mask) >>> 0) === ((base & mask) >>> 0);
}

function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}
