import { attachmentFilesFromConfig } from '../../shared/aws/s3-attachment-files.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { intake } from './intake.ts';

export const handler = intake(composeFromEnv((config) => ({ attachmentFiles: attachmentFilesFromConfig(config) })));
