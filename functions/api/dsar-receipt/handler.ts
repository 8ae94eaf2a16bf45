import { digestsFromConfig } from '../../shared/aws/s3-digest-store.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { dsarReceipt } from './dsar-receipt.ts';

export const handler = dsarReceipt(composeFromEnv((config) => ({ digests: digestsFromConfig(config) })));
