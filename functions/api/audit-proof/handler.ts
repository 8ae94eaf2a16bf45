import { digestsFromConfig } from '../../shared/aws/s3-digest-store.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { auditProof } from './audit-proof.ts';

export const handler = auditProof(composeFromEnv((config) => ({ digests: digestsFromConfig(config) })));
