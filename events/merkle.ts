import { hash } from 'node:crypto';
import { sha256HexPattern } from './hash-chain.ts';

/**
 * Merkle trees as RFC 6962 / RFC 9162 (Certificate Transparency) define them, over SHA-256: a
 * leaf hashes as SHA-256(0x00 || data), a node as SHA-256(0x01 || left || right), and a tree of
 * n leaves splits at the largest power of two below n. Hashes are hex here, as elsewhere in the
 * stored form.
 */
// One-shot SHA-256 over one buffer: verify hashes a node or two per event, and the streaming API's cost shows.
const leafPrefix = Buffer.of(0);
const nodeInput = Buffer.alloc(65, 1);

export const leafHash = (data: Uint8Array): string => hash('sha256', Buffer.concat([leafPrefix, data]), 'hex');
export const nodeHash = (left: string, right: string): string => {
  nodeInput.write(left, 1, 'hex');
  nodeInput.write(right, 33, 'hex');
  return hash('sha256', nodeInput, 'hex');
};
export const emptyRoot = hash('sha256', '', 'hex');

/** The largest power of two smaller than n (n > 1). */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** The tree head over these leaf hashes (MTH). */
export function rootOf(leaves: readonly string[]): string {
  if (leaves.length === 0) return emptyRoot;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** The inclusion proof (audit path) of leaf `index` in the tree of these leaves, nearest sibling first. */
export function inclusionPath(leaves: readonly string[], index: number): string[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...inclusionPath(leaves.slice(0, k), index), rootOf(leaves.slice(k))]
    : [...inclusionPath(leaves.slice(k), index - k), rootOf(leaves.slice(0, k))];
}

/** RFC 9162, 2.1.3.2: whether `path` proves leaf `index` of a tree of `size` leaves has this hash under `root`. */
export function verifyInclusion(leaf: string, index: number, size: number, path: readonly string[], root: string): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (![leaf, root, ...path].every((hash) => typeof hash === 'string' && sha256HexPattern.test(hash))) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
}

/**
 * The right edge of a tree that only grows: the roots of its perfect subtrees, largest first,
 * one per set bit of its size. Appending a leaf touches only the subtrees it completes, and the
 * tree head is the edge folded from the right, so a head is kept up to date in O(log n) per leaf.
 */
export function appendToFrontier(frontier: readonly string[], size: number, leaf: string): string[] {
  const next = [...frontier];
  pushLeaf(next, size, leaf);
  return next;
}

/** Adds a leaf to the edge of a tree of `size` leaves, in place: merges the perfect subtrees it completes. */
function pushLeaf(edge: string[], size: number, leaf: string): void {
  let node = leaf;
  for (let s = size; s % 2 === 1; s = Math.floor(s / 2)) node = nodeHash(edge.pop()!, node);
  edge.push(node);
}

/**
 * A growing tree's head, kept up to date leaf by leaf in place: what verify folds every entry of a
 * log into. Leaves are given as their leaf hashes (hex; node's one-shot hash is fastest with hex out).
 */
export class GrowingTree {
  private readonly edge: string[] = [];
  private size = 0;

  addLeafHash(leaf: string): void {
    pushLeaf(this.edge, this.size, leaf);
    this.size += 1;
  }

  root(): string {
    return frontierRoot(this.edge);
  }
}

export function frontierRoot(frontier: readonly string[]): string {
  if (frontier.length === 0) return emptyRoot;
  let root = frontier.at(-1)!;
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i]!, root);
  return root;
}
