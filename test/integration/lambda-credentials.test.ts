import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../functions/shared/aws/lambda-credentials.ts';

describe("Lambda bundles' credential chain (the environment alone)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("reads the role's credentials Lambda puts in the environment, session token included", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider({})()).resolves.toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails as the SDK does when the environment has none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider({})()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});
