import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

/**
 * The import graph has no cycle, type-only imports included: a loop means two modules cannot be
 * understood, tested or moved apart. dpdm reads the graph as TypeScript does.
 */
describe('the import graph', () => {
  it('has no cycle in the code that ships (functions, domain, events, infra)', { timeout: 60_000 }, async () => {
    const tree = await parseDependencyTree(['functions/**/*.ts', 'domain/**/*.ts', 'events/**/*.ts', 'infra/**/*.ts'], {
      context: process.cwd(),
      tsconfig: 'tsconfig.json',
      transform: false,
    });
    expect(Object.keys(tree).length).toBeGreaterThan(150);
    expect(parseCircular(tree).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});
