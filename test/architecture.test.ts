import { type DependencyTree, parseCircular, parseDependencyTree } from 'dpdm';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import graph as TypeScript reads it (dpdm), type-only imports included. A cycle means two
 * modules cannot be understood, tested or moved apart; an import against the rooms' direction
 * means a use case that depends on DynamoDB, or a domain that knows how it is stored.
 */
let tree: DependencyTree;
beforeAll(async () => {
  tree = await parseDependencyTree(['functions/**/*.ts', 'domain/**/*.ts', 'events/**/*.ts', 'infra/**/*.ts'], {
    context: process.cwd(),
    tsconfig: 'tsconfig.json',
    transform: false,
  });
}, 60_000);

/** Each room, and what it may not import. Paths are the repository's. */
const rooms: Array<{ room: RegExp; mayNotImport: RegExp; because: string }> = [
  { room: /^domain\//, mayNotImport: /^(events|functions|infra)\//, because: 'the domain is pure and owns its event types' },
  { room: /^domain\//, mayNotImport: /node_modules/, because: 'the domain needs no library' },
  { room: /^events\//, mayNotImport: /^(functions|infra)\//, because: 'the stored form depends on the domain only' },
  {
    room: /^functions\/shared\/(application|ports)\//,
    mayNotImport: /^functions\/shared\/(dynamodb|aws|channels)\/|^functions\/shared\/platform\/composition\.ts$/,
    because: 'use cases and ports reach adapters through Deps, which only the composition builds',
  },
  {
    room: /^functions\/shared\/(dynamodb|aws|channels|ports)\//,
    mayNotImport: /^functions\/shared\/application\//,
    because: 'adapters implement ports; they do not call use cases',
  },
  { room: /^functions\/shared\//, mayNotImport: /^functions\/(?!shared\/)/, because: 'shared code does not reach into a function' },
  { room: /^(domain|events|functions)\//, mayNotImport: /^infra\//, because: 'nothing that ships imports the CDK app, emulator or CLI' },
];

describe('the import graph', () => {
  it('covers the code that ships', () => {
    expect(Object.keys(tree).length).toBeGreaterThan(150);
  });

  it('has no cycle in the code that ships (functions, domain, events, infra)', () => {
    expect(parseCircular(tree).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it.each(rooms)('$because', ({ room, mayNotImport }) => {
    const wrong = Object.entries(tree)
      .filter(([file]) => room.test(file))
      .flatMap(([file, imports]) =>
        (imports ?? []).filter((dependency) => dependency.id !== null && mayNotImport.test(dependency.id)).map((d) => `${file} -> ${d.id}`),
      );
    expect(wrong).toEqual([]);
  });
});
