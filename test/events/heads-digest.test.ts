import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  checkDigestChain,
  digestHash,
  digestText,
  type HeadsDigest,
  regionRoot,
  type StoredDigest,
  signatureVerifies,
} from '../../events/heads-digest.ts';
import { kmsDigestSigner } from '../../functions/shared/aws/kms-digest-signer.ts';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKeyPem = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const signed = (digest: HeadsDigest, privateKey = key.privateKey): StoredDigest => {
  const text = digestText(digest);
  return { digest, text, signature: sign('sha256', Buffer.from(text), { key: privateKey, dsaEncoding: 'der' }) };
};
const unsigned = (digest: HeadsDigest): StoredDigest => ({ digest, text: JSON.stringify(digest, null, 2), signature: null });

/** A chain of digests, oldest first, each naming the one before it. */
function chain(count: number, { unsignedFirst = 0 } = {}): StoredDigest[] {
  const digests: StoredDigest[] = [];
  for (let i = 0; i < count; i++) {
    const heads = [
      {
        tenantId: 'acme',
        seq: i + 1,
        hash: String(i).repeat(64).slice(0, 64),
        root: String(i + 1)
          .repeat(64)
          .slice(0, 64),
      },
    ];
    const digest: HeadsDigest = {
      region: 'eu-central-1',
      heads,
      root: regionRoot(heads),
      writtenAt: new Date(Date.UTC(2026, 10, 30, 10, i * 5)).toISOString(),
      previousDigestHash: digests.length ? digestHash(digests.at(-1)!.digest) : null,
    };
    digests.push(i < unsignedFirst ? unsigned(digest) : signed(digest));
  }
  return digests.reverse();
}

describe('heads digests: signatures and the chain', () => {
  it('accepts an intact chain, digests from before signing included when they come first', () => {
    expect(checkDigestChain(chain(5), publicKeyPem)).toEqual([]);
    expect(checkDigestChain(chain(5, { unsignedFirst: 2 }), publicKeyPem)).toEqual([]);
    expect(checkDigestChain([], publicKeyPem)).toEqual([]);
  });

  it('names a digest signed with another key, or altered after signing', () => {
    const digests = chain(3);
    digests[1] = signed(digests[1]!.digest, other.privateKey);
    expect(checkDigestChain(digests, publicKeyPem)).toEqual([
      { digest: digests[1]!.digest.writtenAt, reason: expect.stringContaining("does not verify with the region's public key") },
    ]);
    const altered = chain(3);
    altered[0] = { ...altered[0]!, text: altered[0]!.text.replace('"seq":3', '"seq":4') };
    expect(checkDigestChain(altered, publicKeyPem)).toHaveLength(1);
  });

  it('names the digest after one removed from the middle, and a chain whose start is missing', () => {
    const digests = chain(4);
    const gap = [digests[0]!, digests[2]!, digests[3]!];
    expect(checkDigestChain(gap, publicKeyPem)).toEqual([
      { digest: digests[0]!.digest.writtenAt, reason: expect.stringContaining('the heads digest before the one of') },
    ]);
    expect(checkDigestChain(digests.slice(0, 3), publicKeyPem)).toEqual([
      { digest: digests[2]!.digest.writtenAt, reason: expect.stringContaining('names a predecessor that is missing') },
    ]);
  });

  it("names a signed digest whose root is not its heads' tree head", () => {
    const digests = chain(2);
    digests[0] = signed({ ...digests[0]!.digest, root: 'f'.repeat(64) });
    expect(checkDigestChain(digests, publicKeyPem)).toEqual([
      { digest: digests[0]!.digest.writtenAt, reason: expect.stringContaining('names a root its heads do not give') },
    ]);
  });

  it('refuses an unsigned digest after signed ones (a forgery without the key)', () => {
    const digests = chain(3);
    digests[0] = unsigned(digests[0]!.digest);
    expect(checkDigestChain(digests, publicKeyPem)).toEqual([
      { digest: digests[0]!.digest.writtenAt, reason: expect.stringContaining('is not signed, and digests before it are') },
    ]);
  });

  it('checks a signature as openssl does: ECDSA P-256 over SHA-256 of the text, DER', () => {
    const { text, signature } = chain(1)[0]!;
    expect(signatureVerifies(text, signature!, publicKeyPem)).toBe(true);
    expect(signatureVerifies(`${text} `, signature!, publicKeyPem)).toBe(false);
    expect(signatureVerifies(text, new Uint8Array([1, 2, 3]), publicKeyPem)).toBe(false);
  });
});

describe('the KMS digest signer (request shapes; KMS does not run here)', () => {
  it('sends the SHA-256 of the text as a DIGEST for ECDSA_SHA_256, and turns the public key into PEM', async () => {
    const sent: unknown[] = [];
    const kms = {
      send: async (command: unknown) => {
        sent.push(command);
        if (command instanceof SignCommand) return { Signature: new Uint8Array([0x30, 1]) };
        return { KeySpec: 'ECC_NIST_P256', PublicKey: key.publicKey.export({ type: 'spki', format: 'der' }) };
      },
    } as unknown as KMSClient;
    const signer = kmsDigestSigner(kms, 'arn:aws:kms:eu-central-1:111122223333:key/abc');
    const text = Buffer.from('{"heads":[]}');
    expect(await signer.sign(text)).toEqual(new Uint8Array([0x30, 1]));
    expect((sent[0] as SignCommand).input).toEqual({
      KeyId: 'arn:aws:kms:eu-central-1:111122223333:key/abc',
      Message: createHash('sha256').update(text).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(await signer.publicKeyPem()).toBe(publicKeyPem);
    expect((sent[1] as GetPublicKeyCommand).input).toEqual({ KeyId: 'arn:aws:kms:eu-central-1:111122223333:key/abc' });
  });
});
