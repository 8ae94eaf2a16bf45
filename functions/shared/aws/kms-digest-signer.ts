import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { DigestSigner } from '../ports/digest-signer.ts';

/**
 * Digests signed by the region's KMS key (ECC_NIST_P256, SIGN_VERIFY). The message is hashed
 * here and sent as a DIGEST: KMS signs at most 4 KB of RAW message, and a SHA-256 is what
 * ECDSA_SHA_256 signs either way, so the signature verifies over the digest file as written.
 */
export function kmsDigestSigner(kms: Pick<KMSClient, 'send'>, keyId: string): DigestSigner {
  return {
    async sign(message) {
      const out = await kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: createHash('sha256').update(message).digest(),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      return out.Signature!;
    },
    async publicKeyPem() {
      const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (out.KeySpec !== 'ECC_NIST_P256') throw new Error(`the digest signing key is ${out.KeySpec}, not ECC_NIST_P256`);
      return createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' }).export({
        type: 'spki',
        format: 'pem',
      }) as string;
    },
  };
}
