import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsKeyVault } from '../../functions/shared/aws/kms-key-vault.ts';
import { dynamoSubjectKeys } from '../../functions/shared/dynamodb/subject-keys.ts';
import { isSealed, open, seal } from '../../functions/shared/platform/sealing.ts';
import { SubjectKeyMissing } from '../../functions/shared/ports/subject-keys.ts';
import { ephemeralVault, keyFileVault } from '../../infra/local/key-file-vault.ts';
import { testDeps } from '../support/deps.ts';

const subjectId = '01JDZ0000000000000000000SS';
const key = new Uint8Array(32).fill(7);

describe('sealing', () => {
  it('round-trips any text and never repeats a ciphertext', () => {
    for (const text of ['', 'Klara Vogel', 'مرحبا بك', '😀'.repeat(1000)]) {
      const sealed = seal(text, key, 'acme', subjectId);
      expect(isSealed(sealed)).toBe(true);
      expect(sealed).not.toContain(text || '\u0000');
      expect(open(sealed, key, 'acme')).toBe(text);
      expect(seal(text, key, 'acme', subjectId)).not.toBe(sealed);
    }
  });

  it('refuses another tenant, another key and any altered byte', () => {
    const sealed = seal('anna@example.de', key, 'acme', subjectId);
    expect(() => open(sealed, key, 'globex')).toThrow();
    expect(() => open(sealed, new Uint8Array(32).fill(8), 'acme')).toThrow();
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => open(sealed.slice(0, -1) + last, key, 'acme')).toThrow();
    // The subject is authenticated too: a value moved to another subject's name does not open.
    expect(() => open(sealed.replace(subjectId, '01JDZ0000000000000000000ST'), key, 'acme')).toThrow();
  });
});

describe('local key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created owner-only once and read back the same', async () => {
    const path = join(dir, 'keys', 'eu-central-1.json');
    const first = keyFileVault(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { plaintext, wrapped } = await first.generateDataKey({ tenantId: 'acme', subjectId });
    const again = keyFileVault(path);
    expect(Buffer.from(await again.unwrapDataKey(wrapped, { tenantId: 'acme', subjectId }))).toEqual(Buffer.from(plaintext));
    expect(await again.lookupHash('x')).toBe(await first.lookupHash('x'));
    expect(readFileSync(path, 'utf8')).not.toContain(Buffer.from(plaintext).toString('base64'));
  });

  it('unwraps a key only for the tenant and subject it was made for', async () => {
    const vault = ephemeralVault();
    const { wrapped } = await vault.generateDataKey({ tenantId: 'acme', subjectId });
    await expect(vault.unwrapDataKey(wrapped, { tenantId: 'globex', subjectId })).rejects.toThrow();
  });
});

describe('KMS key vault (the control plane cannot run here: the requests are what is checked)', () => {
  const sent: unknown[] = [];
  const kms = {
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof GenerateDataKeyCommand) return { Plaintext: key, CiphertextBlob: new Uint8Array([1, 2, 3]) };
      if (command instanceof DecryptCommand) return { Plaintext: key };
      if (command instanceof GenerateMacCommand) return { Mac: new Uint8Array([0xfb, 0xff]) };
      throw new Error('unexpected command');
    },
  };
  const vault = kmsKeyVault(kms as never, { masterKeyId: 'arn:aws:kms:eu-central-1:111122223333:key/master', lookupKeyId: 'alias/lookup' });
  const context = { purpose: 'meridian-subject-key', tenantId: 'acme', subjectId };

  it('asks for AES-256 data keys bound to the tenant and subject', async () => {
    expect(await vault.generateDataKey({ tenantId: 'acme', subjectId })).toEqual({ plaintext: key, wrapped: new Uint8Array([1, 2, 3]) });
    expect((sent.at(-1) as GenerateDataKeyCommand).input).toEqual({
      KeyId: 'arn:aws:kms:eu-central-1:111122223333:key/master',
      KeySpec: 'AES_256',
      EncryptionContext: context,
    });
  });

  it('unwraps with the same key and context', async () => {
    await vault.unwrapDataKey(new Uint8Array([1, 2, 3]), { tenantId: 'acme', subjectId });
    expect((sent.at(-1) as DecryptCommand).input).toEqual({
      KeyId: 'arn:aws:kms:eu-central-1:111122223333:key/master',
      CiphertextBlob: new Uint8Array([1, 2, 3]),
      EncryptionContext: context,
    });
  });

  it('hashes lookups with the HMAC key, base64url', async () => {
    expect(await vault.lookupHash('acme\nemail:a@b.c')).toBe('-_8');
    const input = (sent.at(-1) as GenerateMacCommand).input;
    expect(input).toMatchObject({ KeyId: 'alias/lookup', MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input.Message!).toString()).toBe('acme\nemail:a@b.c');
  });
});

describe('subject directory', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  beforeAll(async () => {
    deps = await testDeps();
  });

  it('gives one subject per contact and tenant, however the email is written and however many race', async () => {
    const ids = await Promise.all(
      ['ana@example.pt', 'Ana@Example.PT', ' ana@example.pt '].flatMap((value) =>
        Array.from({ length: 4 }, () => deps.subjectKeys.resolve('acme', { kind: 'email', value })),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await deps.subjectKeys.find('acme', { kind: 'email', value: 'ana@example.pt' })).toBe(ids[0]);
    expect(await deps.subjectKeys.find('globex', { kind: 'email', value: 'ana@example.pt' })).toBeNull();
    expect(await deps.subjectKeys.resolve('globex', { kind: 'email', value: 'ana@example.pt' })).not.toBe(ids[0]);
  });

  it('without its stored key a subject cannot be read (crypto-shredding)', async () => {
    const subject = await deps.subjectKeys.resolve('acme', { kind: 'email', value: 'gone@example.de' });
    await deps.dynamodb.send(
      new DeleteItemCommand({ TableName: deps.config.subjectsTable, Key: { pk: { S: `subject#acme#${subject}` } } }),
    );
    // A cold function: no key cached in memory to fall back on.
    const directory = dynamoSubjectKeys(deps.dynamodb, deps.config.subjectsTable, ephemeralVault(), { newId: deps.newId, now: deps.clock });
    await expect(directory.dataKey({ tenantId: 'acme', subjectId: subject })).rejects.toBeInstanceOf(SubjectKeyMissing);
  });
});
