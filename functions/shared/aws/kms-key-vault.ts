import { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { encryptionContext, type KeyVault } from '../ports/key-vault.ts';

export interface KmsKeys {
  /** The symmetric key that wraps subject data keys. */
  masterKeyId: string;
  /** The HMAC_256 key for contact lookups. */
  lookupKeyId: string;
}

/** The stack's vault: data keys from GenerateDataKey, unwrapped by Decrypt, lookups by GenerateMac. */
export function kmsKeyVault(kms: Pick<KMSClient, 'send'>, keys: KmsKeys): KeyVault {
  return {
    async generateDataKey(context) {
      const out = await kms.send(
        new GenerateDataKeyCommand({ KeyId: keys.masterKeyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext(context) }),
      );
      return { plaintext: out.Plaintext!, wrapped: out.CiphertextBlob! };
    },
    async unwrapDataKey(wrapped, context) {
      const out = await kms.send(
        new DecryptCommand({ KeyId: keys.masterKeyId, CiphertextBlob: wrapped, EncryptionContext: encryptionContext(context) }),
      );
      return out.Plaintext!;
    },
    async lookupHash(message) {
      const out = await kms.send(
        new GenerateMacCommand({ KeyId: keys.lookupKeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8') }),
      );
      return Buffer.from(out.Mac!).toString('base64url');
    },
  };
}
