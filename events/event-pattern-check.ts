import {
  type EventPattern,
  isMatcherKeyword,
  isObject,
  isOrOfPatterns,
  matcherKeywords,
  numericComparisons,
  parseCidr,
} from './event-pattern.ts';

/**
 * What is wrong with an event pattern, as EventBridge (event-ruler's JsonRuleCompiler.check)
 * refuses it: an empty list means `matchesPattern` may be given it. Each problem names its path
 * (a JSON Pointer into the pattern), so a filter an integrator sends can be refused field by field.
 */
export interface PatternProblem {
  path: string;
  message: string;
}

/** event-ruler's numeric range: values within +-5.0e9. */
const numericLimit = 5e9;

export function checkEventPattern(pattern: unknown): PatternProblem[] {
  const problems: PatternProblem[] = [];
  if (!isObject(pattern)) return [{ path: '', message: 'a pattern is a JSON object' }];
  checkObject(pattern, '', problems);
  return problems;
}

export const isValidEventPattern = (pattern: unknown): pattern is EventPattern => checkEventPattern(pattern).length === 0;

const pointer = (path: string, key: string | number) => `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

function checkObject(pattern: Record<string, unknown>, path: string, problems: PatternProblem[]) {
  const entries = Object.entries(pattern);
  if (entries.length === 0) problems.push({ path, message: 'an object in a pattern names at least one field' });
  for (const [key, rule] of entries) {
    const at = pointer(path, key);
    if (isOrOfPatterns(key, rule)) rule.forEach((alternative, i) => checkObject(alternative, pointer(at, i), problems));
    else if (isObject(rule)) checkObject(rule, at, problems);
    else if (Array.isArray(rule)) checkMatchers(rule, at, problems);
    else problems.push({ path: at, message: 'a field takes an array of values to match, or a nested pattern' });
  }
}

function checkMatchers(matchers: unknown[], path: string, problems: PatternProblem[]) {
  if (matchers.length === 0) problems.push({ path, message: 'a list of values to match is not empty' });
  matchers.forEach((matcher, i) => {
    if (matcher === null || ['string', 'number', 'boolean'].includes(typeof matcher)) return;
    const problem = isObject(matcher)
      ? matcherProblem(matcher)
      : 'a value to match is a string, number, boolean, null or one matcher object';
    if (problem) problems.push({ path: pointer(path, i), message: problem });
  });
}

function matcherProblem(matcher: Record<string, unknown>): string | null {
  const keys = Object.keys(matcher);
  if (keys.length !== 1 || !isMatcherKeyword(keys[0]!)) return `a matcher object has exactly one of ${matcherKeywords.join(', ')}`;
  const [key] = keys as [string];
  const operand = matcher[key];
  switch (key) {
    case 'exactly':
    case 'equals-ignore-case':
      return typeof operand === 'string' ? null : `${key} takes a string`;
    case 'prefix':
    case 'suffix':
      return typeof operand === 'string' || isIgnoringCase(operand) ? null : `${key} takes a string or {"equals-ignore-case": string}`;
    case 'wildcard':
      return typeof operand === 'string' ? wildcardProblem(operand) : 'wildcard takes a string';
    case 'anything-but':
      return anythingButProblem(operand);
    case 'numeric':
      return numericProblem(operand);
    case 'exists':
      return typeof operand === 'boolean' ? null : 'exists takes true or false';
    default:
      return typeof operand === 'string' && parseCidr(operand)
        ? null
        : 'cidr takes an IPv4 or IPv6 block such as 10.0.0.0/24 or 2001:db8::/32';
  }
}

const isIgnoringCase = (operand: unknown) =>
  isObject(operand) && Object.keys(operand).length === 1 && typeof operand['equals-ignore-case'] === 'string';

/** event-ruler's wildcard grammar: no `**`; a backslash escapes only `*` or another backslash. */
export function wildcardProblem(pattern: string): string | null {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      if (pattern[i + 1] !== '*' && pattern[i + 1] !== '\\') return 'in a wildcard a backslash escapes only * or another backslash';
      i += 1;
    } else if (pattern[i] === '*' && pattern[i + 1] === '*') return 'a wildcard has no consecutive *';
  }
  return null;
}

function anythingButProblem(operand: unknown): string | null {
  if (typeof operand === 'string' || typeof operand === 'number') return null;
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number');
    return operand.length > 0 && (allStrings || allNumbers) ? null : 'anything-but takes a non-empty list of only strings or only numbers';
  }
  if (!isObject(operand) || Object.keys(operand).length !== 1)
    return 'anything-but takes a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard';
  const [[kind, value]] = Object.entries(operand) as [[string, unknown]];
  const list = typeof value === 'string' ? [value] : Array.isArray(value) && value.length > 0 ? value : null;
  if (!list || !list.every((item): item is string => typeof item === 'string'))
    return `anything-but ${kind} takes a string or a non-empty list of strings`;
  if (kind === 'prefix' || kind === 'suffix') return list.some((item) => item === '') ? `anything-but ${kind} takes no empty string` : null;
  if (kind === 'equals-ignore-case') return null;
  if (kind === 'wildcard') return list.map(wildcardProblem).find((problem) => problem !== null) ?? null;
  return 'anything-but takes a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard';
}

/** One comparison, or a lower bound (> or >=) then an upper bound (< or <=) that leaves room between them. */
function numericProblem(operand: unknown): string | null {
  const shape = 'numeric takes ["op", number] or [">" or ">=", low, "<" or "<=", high], ops = < <= > >=, numbers within +-5e9';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) return shape;
  for (let i = 0; i < operand.length; i += 2) {
    const [op, bound] = [operand[i], operand[i + 1]];
    if (typeof op !== 'string' || !numericComparisons[op] || typeof bound !== 'number' || Math.abs(bound) > numericLimit) return shape;
  }
  if (operand.length === 2) return null;
  const [low, lowBound, high, highBound] = operand as [string, number, string, number];
  if (!(low === '>' || low === '>=') || !(high === '<' || high === '<=')) return shape;
  return lowBound < highBound ? null : 'numeric: the lower bound is below the upper bound';
}
