import { seal } from '../platform/sealing.ts';
import type { SubjectKeys } from '../ports/subject-keys.ts';
import { openSealed } from './personal-data.ts';

/**
 * The data key a tenant's own secrets are sealed with (its channel providers' secrets, its webhook
 * signing secrets): one per tenant, ULID-shaped like every key id, wrapped by the region's master
 * key (KMS in AWS) and never erased with a data subject.
 */
const tenantSecretsKeyId = '0000000000000000000SECRETS';

export async function sealTenantSecret(keys: SubjectKeys, tenantId: string, secret: string): Promise<string> {
  const context = { tenantId, subjectId: tenantSecretsKeyId };
  await keys.create(context);
  return seal(secret, await keys.dataKey(context), tenantId, tenantSecretsKeyId);
}

export async function openTenantSecret(keys: SubjectKeys, tenantId: string, sealed: string): Promise<string> {
  const secret = await openSealed(keys, tenantId, sealed);
  if (secret === null) throw new Error("the tenant's secrets key is gone");
  return secret;
}
