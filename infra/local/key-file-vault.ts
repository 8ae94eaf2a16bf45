import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { encryptionContext, type KeyVault } from '../../functions/shared/ports/key-vault.ts';

/** What KMS holds in AWS, kept locally in one file per region: a wrapping key and a lookup (HMAC) key. */
const keyFileSchema = z.object({
  version: z.literal(1),
  wrappingKey: z.base64().refine((key) => Buffer.from(key, 'base64').length === 32),
  lookupKey: z.base64().refine((key) => Buffer.from(key, 'base64').length === 32),
});

const newKeys = () => ({
  version: 1 as const,
  wrappingKey: randomBytes(32).toString('base64'),
  lookupKey: randomBytes(32).toString('base64'),
});

/** Reads the region's key file, creating it (owner-only) on first start. */
export function keyFileVault(path: string): KeyVault {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(newKeys()), { mode: 0o600, flag: 'wx' });
  }
  return keysVault(keyFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))));
}

/** Keys that live as long as the process: tests and benchmarks on an in-memory engine. */
export const ephemeralVault = (): KeyVault => keysVault(newKeys());

function keysVault(keys: z.infer<typeof keyFileSchema>): KeyVault {
  const wrappingKey = Buffer.from(keys.wrappingKey, 'base64');
  const lookupKey = Buffer.from(keys.lookupKey, 'base64');
  // Like KMS's encryption context: authenticated, so a wrapped key unwraps only for its owner.
  const aad = (context: Parameters<KeyVault['unwrapDataKey']>[1]) => Buffer.from(JSON.stringify(encryptionContext(context)));
  return {
    async generateDataKey(context) {
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv).setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { plaintext, wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]) };
    },
    async unwrapDataKey(wrapped, context) {
      const bytes = Buffer.from(wrapped);
      const decipher = createDecipheriv('aes-256-gcm', wrappingKey, bytes.subarray(0, 12)).setAAD(aad(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    },
    async lookupHash(message) {
      return createHmac('sha256', lookupKey).update(message, 'utf8').digest('base64url');
    },
  };
}
