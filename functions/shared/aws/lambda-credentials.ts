import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (infra/function-bundling.ts):
 * Lambda gives every function its role's credentials in the environment, the first place the
 * SDK's default chain looks, so the rest of the chain (SSO, STS web identity, the ini files, IMDS
 * and the clients they carry: about 135 KiB of each bundle) is never reached there.
 */
export const defaultProvider: (init?: object) => ReturnType<typeof fromEnv> = () => fromEnv();
