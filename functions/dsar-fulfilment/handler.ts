import { dsarBundlesFromConfig } from '../shared/aws/dsar-bundles.ts';
import { attachmentFilesFromConfig } from '../shared/aws/s3-attachment-files.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { fulfilment } from './fulfilment.ts';

const deps = composeFromEnv((config) => ({
  dsarBundles: dsarBundlesFromConfig(config),
  attachmentFiles: attachmentFilesFromConfig(config),
}));
export const handler = observed(deps, fulfilment(deps));
