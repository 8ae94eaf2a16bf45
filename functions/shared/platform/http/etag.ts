import { Problem } from './problem.ts';

export const etagOf = (version: number) => `"${version}"`;

/**
 * Parses If-Match (RFC 9110 13.1.1) into a test on the current version. Weak tags never match:
 * If-Match uses the strong comparison.
 */
export function parseIfMatch(header: string | undefined): ((version: number) => boolean) | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return () => true;
  const tags = value.split(',').map((tag) => tag.trim());
  if (!tags.every((tag) => /^(W\/)?"[^"]*"$/.test(tag))) {
    throw new Problem('validation', 'If-Match must be * or a list of entity tags such as "3"', {
      errors: [{ path: '/if-match', location: 'header', message: 'not an entity-tag list' }],
    });
  }
  const versions = new Set(tags.filter((tag) => !tag.startsWith('W/')).map((tag) => tag.slice(1, -1)));
  return (version) => versions.has(String(version));
}

/** If-None-Match for GET: true when the caller already has this version. */
export function matchesIfNoneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etagOf(version));
}
