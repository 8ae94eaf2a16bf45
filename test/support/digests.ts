import { generateKeyPairSync } from 'node:crypto';
import type { StoredDigest } from '../../events/heads-digest.ts';
import type { DigestSigner } from '../../functions/shared/ports/digest-signer.ts';
import type { DigestStore } from '../../functions/shared/ports/digest-store.ts';
import { keyDigestSigner } from '../../infra/local/digest-signing-key.ts';

/** Digests kept in memory, newest first: for what is measured or tested below the store. */
export function memoryDigests(): DigestStore {
  const kept: StoredDigest[] = [];
  return {
    put: async (digest) => void kept.unshift(digest),
    latest: async () => kept[0] ?? null,
    all: async () => [...kept],
  };
}

/** A signer over a fresh P-256 key held in memory. */
export function memorySigner(): DigestSigner {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return keyDigestSigner(() => privateKey);
}
