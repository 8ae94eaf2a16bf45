import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DigestSigner } from '../../functions/shared/ports/digest-signer.ts';

/** Where a region's digest signing key lives locally: beside its master keys, readable by the owner only. */
export const localSigningKeyPath = (dataDir: string, region: string) => join(dataDir, 'keys', `${region}-digest-signing.pem`);

/** Locally, the KMS signing key is a P-256 private key file (PKCS #8 PEM), made on first use and kept. */
export function fileDigestSigner(path: string): DigestSigner {
  let key: KeyObject | undefined;
  return keyDigestSigner(() => (key ??= loadOrCreate(path)));
}

/** Signs with a P-256 private key held in this process (DER ECDSA over SHA-256, as KMS signs). */
export function keyDigestSigner(privateKey: () => KeyObject): DigestSigner {
  return {
    async sign(message) {
      return sign('sha256', message, { key: privateKey(), dsaEncoding: 'der' });
    },
    async publicKeyPem() {
      return createPublicKey(privateKey()).export({ type: 'spki', format: 'pem' }) as string;
    },
  };
}

function loadOrCreate(path: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process made it first: its key is the region's.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return createPrivateKey(readFileSync(path, 'utf8'));
  }
  return privateKey;
}
