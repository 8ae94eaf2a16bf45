import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendToFrontier,
  emptyRoot,
  frontierRoot,
  GrowingTree,
  inclusionPath,
  leafHash,
  rootOf,
  verifyInclusion,
} from '../../events/merkle.ts';

// The Certificate Transparency reference leaves and tree heads (RFC 6962 test vectors, as in
// transparency-dev/merkle's testonly data), and two of its inclusion proofs.
const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  .map((hex) => Buffer.from(hex, 'hex'))
  .map(leafHash);
const roots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const referenceProofs = [
  {
    index: 0,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

describe('Merkle trees (RFC 6962 / 9162)', () => {
  it('gives the reference tree head for every size 0 to 8, whole and as a growing frontier', () => {
    let frontier: string[] = [];
    expect(rootOf([])).toBe(emptyRoot);
    expect(frontierRoot(frontier)).toBe(roots[0]);
    for (let n = 1; n <= 8; n++) {
      expect(rootOf(leaves.slice(0, n)), `size ${n}`).toBe(roots[n]);
      frontier = appendToFrontier(frontier, n - 1, leaves[n - 1]!);
      expect(frontierRoot(frontier), `frontier at size ${n}`).toBe(roots[n]);
    }
  });

  it('makes and checks the reference inclusion proofs', () => {
    for (const { index, path } of referenceProofs) {
      expect(inclusionPath(leaves, index)).toEqual(path);
      expect(verifyInclusion(leaves[index]!, index, 8, path, roots[8]!)).toBe(true);
    }
  });

  it('proves every leaf of every tree up to 70 leaves, and refuses a wrong leaf, index, size, path or root', () => {
    const many = Array.from({ length: 71 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    const stranger = leafHash(Buffer.from('not in the tree'));
    expect(verifyInclusion(many[0]!, 0, 2, ['not a hash'], rootOf(many.slice(0, 2)))).toBe(false);
    for (let size = 1; size <= 70; size++) {
      const tree = many.slice(0, size);
      const root = rootOf(tree);
      for (let index = 0; index < size; index++) {
        const path = inclusionPath(tree, index);
        expect(verifyInclusion(tree[index]!, index, size, path, root)).toBe(true);
        expect(verifyInclusion(stranger, index, size, path, root)).toBe(false);
        if (size > 1) expect(verifyInclusion(tree[index]!, (index + 1) % size, size, path, root)).toBe(false);
        // A size counts with the head of that size: (size, root) come signed together.
        expect(verifyInclusion(tree[index]!, index, size + 1, path, rootOf(many.slice(0, size + 1)))).toBe(false);
        expect(verifyInclusion(tree[index]!, index, size, [...path, root], root)).toBe(false);
        expect(verifyInclusion(tree[index]!, index, size, path, many[0]!)).toBe(size === 1 && index === 0 && tree[0] === many[0]);
      }
    }
  });

  it('keeps the frontier (copied or grown in place) equal to the whole tree head for any sequence of leaves (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 300 }), (data) => {
        const hashes = data.map(leafHash);
        const frontier = hashes.reduce<string[]>((edge, leaf, size) => appendToFrontier(edge, size, leaf), []);
        expect(frontierRoot(frontier)).toBe(rootOf(hashes));
        const tree = new GrowingTree();
        for (const leaf of hashes) tree.addLeafHash(leaf);
        expect(tree.root()).toBe(rootOf(hashes));
        expect(frontier.length).toBe(hashes.length.toString(2).replaceAll('0', '').length);
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });
});
